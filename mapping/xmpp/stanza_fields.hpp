#pragma once
// Helpers shared by the stanza codecs: address attributes, xml:lang selection and the
// pass-through of unknown children as ForeignPayloads (RFC 6120 §8.4).
#include <string_view>
#include <vector>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/expected.hpp"
#include "mapping/model/payload.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::mapping::xmpp {

namespace wire = ::parley::xmpp::wire;

// The address in attribute `name`; empty when absent; jid-malformed when invalid
// (RFC 6120 §8.3.3.8).
model::Expected<model::Address, model::StanzaError> address_attr(const wire::XmlElement& stanza,
                                                                 std::string_view name);
// Writes `name`=address when the address is set.
void set_address_attr(wire::XmlElement& stanza, std::string_view name,
                      const model::Address& address);

// RFC 6120 §8.1.5 / RFC 6121 §5.2.3: a child carries the stanza's default language when it has
// no xml:lang of its own or the same one.
bool in_default_lang(const wire::XmlElement& child, std::string_view stanza_lang);

// The child serialized self-contained (with its xmlns), origin xmpp.
model::ForeignPayload payload_of(const wire::XmlElement& child);
// Re-parses every XMPP payload and appends it; payloads of other protocols are skipped, and
// so is one that no longer parses (it never could have come from our parser).
void append_payloads(wire::XmlElement& stanza, const std::vector<model::ForeignPayload>& payloads);

}  // namespace parley::mapping::xmpp
