#pragma once
// The availability table's configuration form (config key sip.presence.availability): a JSON
// array of rows, each
//   {"name": "busy", "show": "dnd", "available": true, "rpid": "busy",
//    "lync": 6500, "lync_range": [6000, 8999]}
// "show" is "online" or an XMPP show name; "rpid" may be omitted or ""; "lync_range" defaults
// to [lync, lync]. Order matters: the first matching row wins in each lookup.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mapping/model/expected.hpp"
#include "mapping/sip/presence_mapping.hpp"

namespace parley::mapping::sip {

// Parses and validates; the error lists every problem, one per line, prefixed with the row
// index ("availability[2].show: unknown show \"busy\"").
model::Expected<AvailabilityTable> availability_table_from_json(const nlohmann::json& rows);
nlohmann::json availability_table_to_json(const AvailabilityTable& table);

}  // namespace parley::mapping::sip
