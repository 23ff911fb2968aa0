#pragma once
// <presence/> (RFC 6121 §4, §3) <-> model::Presence. Understood children: show, status (first
// without a foreign xml:lang), priority, error; every other child (XEP-0115 caps, XEP-0153
// vcard-update, MUC x, ...) passes through as a ForeignPayload.
#include <string>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/expected.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::mapping::xmpp {

namespace wire = ::parley::xmpp::wire;

// bad-request for an unknown type or show, or a priority that is not an integer in
// -128..127 (RFC 6121 §4.7.2.3); jid-malformed for an invalid from/to.
model::Expected<model::Presence, model::StanzaError> presence_from_xml(
    const wire::XmlElement& stanza);
// The <presence/> in namespace jabber:client; priority is written only when non-zero.
wire::XmlElement presence_to_xml(const model::Presence& presence);
// The same <presence/> written straight to bytes, as presence_to_xml(...).serialize(
// jabber:client) would write them, for the delivery path (one per subscriber); see
// StanzaWriter for how payloads are written.
std::string presence_to_wire(const model::Presence& presence);

}  // namespace parley::mapping::xmpp
