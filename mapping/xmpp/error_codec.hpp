#pragma once
// Stanza errors (RFC 6120 §8.3): <error type='..'><condition xmlns='..xmpp-stanzas'/>
// <text xmlns='..xmpp-stanzas'>..</text></error> <-> model::StanzaError, and error replies.
#include <optional>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::mapping::xmpp {

namespace wire = ::parley::xmpp::wire;

// The <error/> child element (namespace jabber:client).
wire::XmlElement error_to_xml(const model::StanzaError& error);
// Lenient (errors come from other entities): an unknown or missing condition becomes
// undefined-condition, an unknown or missing type the condition's recommended type (§8.3.2).
model::StanzaError error_from_xml(const wire::XmlElement& error_element);
// The <error/> child of a stanza, parsed; nullopt when there is none.
std::optional<model::StanzaError> find_stanza_error(const wire::XmlElement& stanza);

// RFC 6120 §8.3.1: an error reply to `request`: same element and id, to/from swapped (only
// those present), type='error', the original children copied for <message/> and <presence/>
// but not for <iq/>, then the <error/> child.
wire::XmlElement make_error_reply(const wire::XmlElement& request, const model::StanzaError& error);
// RFC 6120 §8.3.1: never answer an error stanza with an error (avoids loops).
bool may_reply_with_error(const wire::XmlElement& stanza);

}  // namespace parley::mapping::xmpp
