#pragma once
// <message/> (RFC 6121 §5) <-> model::Message.
//
// Understood children: body, subject, thread (first one without a foreign xml:lang each),
// error (RFC 6120 §8.3), <delay xmlns='urn:xmpp:delay'/> (XEP-0203). Every other child becomes
// a ForeignPayload{xmpp, ns, name, serialized element} and is re-emitted verbatim on output
// (RFC 6120 §8.4). A <stanza-id xmlns='urn:xmpp:sid:0'/> sent by a client is dropped on input
// (XEP-0359 §3: only the server may claim one).
#include <string>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/expected.hpp"
#include "mapping/model/message.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::mapping::xmpp {

namespace wire = ::parley::xmpp::wire;

// Whose addresses message_from_xml reads.
enum class MessageAddresses {
  parse,  // from and to from the attributes (jid-malformed when invalid)
  skip,   // left empty: a session that stamped 'from' itself and already parsed 'to'
};
// Fails with jid-malformed for an invalid from/to. An unknown type is read as normal
// (RFC 6121 §5.2.2). A missing from/to leaves the address empty (the session fills it in).
model::Expected<model::Message, model::StanzaError> message_from_xml(
    const wire::XmlElement& stanza, MessageAddresses addresses = MessageAddresses::parse);

struct MessageXmlOptions {
  // 'from' of the XEP-0203 <delay/> on delayed messages; empty: the recipient's domain.
  std::string delay_from;
};
// The <message/> in namespace jabber:client. type is omitted for normal; delayed messages get
// <delay from=.. stamp=..Z/>; a set stanza_id gets <stanza-id id=.. by=bare(to)/> (XEP-0359).
wire::XmlElement message_to_xml(const model::Message& message,
                                const MessageXmlOptions& options = {});

// The same <message/> written straight to bytes, as message_to_xml(...).serialize(jabber:client)
// would write them (a stanza in a client stream, byte for byte), without building the element
// tree: the delivery path of every 1:1 message. Payloads our own codec serialized
// (ForeignPayload::written_by_us) are copied as they are; others (read from the database) are
// parsed again, so only well-formed XML reaches a stream. Error children go through XmlElement.
std::string message_to_wire(const model::Message& message, const MessageXmlOptions& options = {});

}  // namespace parley::mapping::xmpp
