#pragma once
// parse_fragment: one standalone element (e.g. a stored pass-through payload or an offline
// stanza) back into an XmlElement, with the same restrictions and caps as the stream parser
// (RFC 6120 §11.1: no DTD, entity declarations, processing instructions or comments).
#include <string>
#include <string_view>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/expected.hpp"

namespace parley::xmpp::wire {

struct FragmentError {
  ParseError error = ParseError::not_well_formed;
  std::string detail;
};

// `xml` must hold exactly one element, optionally surrounded by whitespace. `default_ns` is the
// namespace in scope for an element without its own xmlns (what serialize(parent_ns) assumed).
// Namespace prefixes other than "stream:" must be declared inside the fragment.
model::Expected<XmlElement, FragmentError> parse_fragment(std::string_view xml,
                                                          std::string_view default_ns = {},
                                                          const ParserLimits& limits = {});

}  // namespace parley::xmpp::wire
