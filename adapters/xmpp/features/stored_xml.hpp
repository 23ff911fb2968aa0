#pragma once
// Stored XML fragments (XEP-0054 vCards, XEP-0049 private data) are kept as the serialized
// element and parsed back when requested, through the wire's restricted, capped fragment
// parser: a stored blob gets the same protections as anything a client sends (RFC 6120 §11.1:
// no DTD, entities, processing instructions).
#include <cstddef>
#include <optional>
#include <string_view>

#include "adapters/xmpp/wire/xml_element.hpp"

namespace parley::xmpp::features {

// Caps applied both when storing (the serialized size) and when parsing back.
inline constexpr std::size_t kMaxStoredElementBytes = 64 * 1024;

// Parses exactly one element; nullopt when the text is not one well-formed element within the
// caps. The element's namespace is the one it declares (xmlns), jabber:client otherwise.
std::optional<wire::XmlElement> parse_stored_element(std::string_view xml);

}  // namespace parley::xmpp::features
