#pragma once
// Roster items (RFC 6121 §2.1): <item jid name subscription ask approved><group/></item>
// <-> model::RosterItem. On the wire the subscription is none/to/from/both, ask='subscribe'
// marks pending-out and approved='true' a pre-approval (§3.4); pending-in is server-side only.
#include <cstdint>
#include <span>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "gateway/api/endpoint.hpp"
#include "mapping/model/expected.hpp"
#include "mapping/model/roster.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::mapping::xmpp {

namespace wire = ::parley::xmpp::wire;

struct RosterItemUpdate {
  model::RosterItem item;
  bool remove = false;  // subscription='remove' (RFC 6121 §2.5)
};

// <item/> in namespace jabber:iq:roster.
wire::XmlElement roster_item_to_xml(const model::RosterItem& item);
// A removed item in a push: <item jid=.. subscription='remove'/> (RFC 6121 §2.5.3).
wire::XmlElement roster_removed_item_to_xml(const model::Address& jid);
// Full read of an <item/> (e.g. from a roster result): subscription + ask give the state.
// jid-malformed for a missing or invalid jid; bad-request for an unknown subscription.
model::Expected<RosterItemUpdate, model::StanzaError> roster_item_from_xml(
    const wire::XmlElement& item);

// <query xmlns='jabber:iq:roster' ver=..> with the items (RFC 6121 §2.1.4, XEP-0237 ver).
wire::XmlElement roster_result_to_xml(std::span<const model::RosterItem> items,
                                      std::uint64_t version);
// The <query/> of a roster push (RFC 6121 §2.1.6).
wire::XmlElement roster_push_to_xml(const api::RosterPush& push);

// The <query/> of a client's roster set (RFC 6121 §2.3.2/§2.3.3): exactly one <item/>
// (bad-request otherwise), a valid bare jid (jid-malformed), non-empty (not-acceptable) and
// unique (bad-request) group names. subscription other than 'remove', ask and approved are
// ignored as §2.1.2 requires; the returned state is none (the core owns subscription state).
model::Expected<RosterItemUpdate, model::StanzaError> roster_set_from_query(
    const wire::XmlElement& query);

}  // namespace parley::mapping::xmpp
