#pragma once
// The JSON form of a compliance event: the outbox column (compliance_outbox.event) and the
// JSONL/HTTP export formats share it, so what an exporter sends is exactly what was recorded.
// Format (docs/compliance.md), version "v": 1:
//   {"v": 1, "id": "<32 hex>", "kind": "room.post",
//    "time": "2024-05-01T12:00:00.123456Z", "time_us": <microseconds since the unix epoch>,
//    "actor": {"account": "alice@example.com", "protocol": "xmpp", "endpoint": "..."},
//    "room": "...", "peer": "...", "content": "...", "message_id": "...",
//    "details": [["name", "value"], ...]}
// "time_us" is authoritative ("time" is the same instant for people). Details are an array of
// pairs because they are ordered and a name may repeat.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "gateway/api/compliance.hpp"
#include "mapping/model/expected.hpp"

namespace parley::core::compliance {

nlohmann::json event_to_json_value(const api::ComplianceEvent& event);
std::string event_to_json(const api::ComplianceEvent& event);  // one line, no newline
// Fails on malformed JSON, a missing id, an unknown kind or protocol, or an address that does
// not parse.
model::Expected<api::ComplianceEvent> event_from_json_value(const nlohmann::json& value);
model::Expected<api::ComplianceEvent> event_from_json(std::string_view json);

// Microsecond precision (finer parts are truncated), like the rest of the store.
std::int64_t to_micros(model::Timestamp time);
model::Timestamp from_micros(std::int64_t micros);
// RFC 3339 UTC with microseconds: "2024-05-01T12:00:00.123456Z".
std::string rfc3339(model::Timestamp time);
// "20240501T120000Z": for file names.
std::string compact_utc(model::Timestamp time);

std::string_view protocol_name(model::Protocol protocol);

}  // namespace parley::core::compliance
