#pragma once
// XEP-0082 date/time profiles as used by XEP-0203 delay stamps: "CCYY-MM-DDThh:mm:ss[.s+]TZD"
// where TZD is "Z" or "+hh:mm" / "-hh:mm".
#include <optional>
#include <string>
#include <string_view>

#include "mapping/model/message.hpp"

namespace parley::mapping::xmpp {

// Accepts any number of fractional digits (nanoseconds are kept, further digits dropped)
// and any time zone offset; the result is UTC. nullopt for anything malformed.
std::optional<model::Timestamp> parse_datetime(std::string_view text);
// Always UTC with "Z"; fractional seconds only when non-zero, as 3, 6 or 9 digits
// (the shortest that is exact), e.g. "2024-02-29T23:59:58.250Z".
std::string format_datetime(model::Timestamp stamp);

}  // namespace parley::mapping::xmpp
