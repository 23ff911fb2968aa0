#include "adapters/xmpp/features/stored_xml.hpp"

#include <utility>

#include "adapters/xmpp/wire/fragment_parser.hpp"

namespace parley::xmpp::features {

std::optional<wire::XmlElement> parse_stored_element(std::string_view xml) {
  if (xml.empty() || xml.size() > kMaxStoredElementBytes) return std::nullopt;
  wire::ParserLimits limits;
  limits.max_stanza_bytes = kMaxStoredElementBytes;
  // Stored elements were serialized with their own xmlns (serialize() without a parent
  // namespace), so the default namespace only matters for damaged data.
  auto parsed = wire::parse_fragment(xml, "jabber:client", limits);
  if (!parsed) return std::nullopt;
  return std::move(parsed).value();
}

}  // namespace parley::xmpp::features
