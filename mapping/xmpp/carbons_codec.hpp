#pragma once
// XEP-0280 Message Carbons: the forwarded copy wrapper (§6 received, §7 sent).
#include "adapters/xmpp/wire/xml_element.hpp"
#include "gateway/api/endpoint.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/message.hpp"

namespace parley::mapping::xmpp {

namespace wire = ::parley::xmpp::wire;

// <message xmlns='jabber:client' from=bare(recipient) to=recipient type=(inner type)>
//   <received|sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>
//     inner (in jabber:client) </forwarded></..></message>
// `recipient` is the full address of the resource that gets the copy. CopyKind::none returns
// the inner message unchanged.
wire::XmlElement carbon_wrap(const wire::XmlElement& inner, api::CopyKind kind,
                             const model::Address& recipient);

// XEP-0280 §6.1 (and XEP-0334 hints): chat messages are copied unless they carry
// <private xmlns='urn:xmpp:carbons:2'/> or <no-copy xmlns='urn:xmpp:hints'/>.
bool carbon_eligible(const model::Message& message);

}  // namespace parley::mapping::xmpp
