#pragma once
// The MUC component (XEP-0045) on the conference subdomain: the session's routing hook hands it
// every stanza whose 'to' is the muc domain or an address in it. Handlers run on the session's
// strand; results from the rooms service come back through MucParticipant::post.
//
// One job per file: muc_presence.cpp (join, leave), muc_message.cpp (groupchat, subject,
// private messages, invitations), muc_iq.cpp (dispatch), muc_disco.cpp (disco#info/#items,
// jabber:iq:search), muc_admin.cpp (muc#admin roles and affiliations, muc#owner configuration
// and destruction).
#include "adapters/xmpp/features/session_context.hpp"
#include "adapters/xmpp/muc/muc_participant.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/address.hpp"

namespace parley::xmpp::muc {

// `stanza` has been stamped with the session's full JID as 'from'; `to` is its parsed 'to',
// whose domain is the muc domain.
void handle_presence(SessionContext& session, MucParticipant& participant,
                     const wire::XmlElement& stanza, const model::Address& to);
void handle_message(SessionContext& session, MucParticipant& participant,
                    const wire::XmlElement& stanza, const model::Address& to);
void handle_iq(SessionContext& session, MucParticipant& participant, const wire::XmlElement& iq,
               const model::Address& to);

// Global unavailable presence (RFC 6121 §4.6.3): leave every room, keep watching.
void leave_all_rooms(api::Rooms& rooms, MucParticipant& participant);
// The session ends: leave every room (others see the occupant leave) and stop watching.
void end_session(api::Rooms& rooms, const model::Address& user, MucParticipant& participant);

}  // namespace parley::xmpp::muc
