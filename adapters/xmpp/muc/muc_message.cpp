// MUC messages: groupchat posts (XEP-0045 §7.4), subject changes (§8.1), private messages
// between occupants (§7.5) and mediated invitations (§7.8.2).
#include "adapters/xmpp/muc/muc_component.hpp"
#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "adapters/xmpp/muc/muc_stanzas.hpp"
#include "adapters/xmpp/muc/muc_util.hpp"

namespace parley::xmpp::muc {
namespace {

using model::ErrorCondition;
using wire::XmlElement;

void post_groupchat(SessionContext& session, MucParticipant& participant, const XmlElement& stanza,
                    const std::string& room) {
  if (!participant.find(room)) {
    // §7.4 (and §7.2.9 of the rules): only occupants post.
    detail::send_error(session, stanza, ErrorCondition::not_acceptable,
                       "only occupants may send messages to the room");
    return;
  }
  const XmlElement* subject = stanza.child("subject");
  std::string body = stanza.child_text("body");
  if (subject && body.empty()) {
    // §8.1: a message with a subject and no body changes the subject.
    session.rooms().set_topic(detail::actor_of(session), room, subject->text(),
                              detail::reply_on_error(participant, stanza));
    return;
  }
  if (body.empty()) return;  // chat states and other bodiless content are not kept
  std::string origin_id;
  if (const auto* origin = stanza.child("origin-id", ns::kStanzaId)) {
    origin_id = origin->attr_or("id");
  }
  if (origin_id.empty()) origin_id = stanza.attr_or("id");
  api::PostRequest request{
      room, &participant, std::move(body), std::move(origin_id), {}, detail::source_of(session)};
  session.rooms().post(
      std::move(request), [self = participant.shared_from_this(), stanza](
                              api::RoomsResult<std::shared_ptr<const model::RoomMessage>> result) {
        if (result) return;  // the echo comes with the fan-out (RoomMessagePosted)
        self->post([stanza, error = result.error()](SessionContext& s, MucParticipant&) {
          s.send_error(stanza, error);  // forbidden: auditorium; not-acceptable: left
        });
      });
}

void send_private(SessionContext& session, MucParticipant& participant, const XmlElement& stanza,
                  const std::string& room, const std::string& nickname) {
  auto* joined = participant.find(room);
  if (!joined) {
    detail::send_error(session, stanza, ErrorCondition::not_acceptable,
                       "only occupants may send private messages");
    return;
  }
  auto recipients = participant.registry().find(room, nickname);
  if (recipients.empty()) {
    detail::send_error(session, stanza, ErrorCondition::item_not_found, "no such occupant");
    return;
  }
  // §7.5: from the sender's occupant JID; the <x muc#user/> marks it as a MUC PM.
  XmlElement copy = stanza;
  copy.set_attr("from", occupant_jid(joined->room_jid, joined->nickname));
  copy.remove_attr("to");
  if (!copy.child("x", ns::kMucUser)) copy.add_child("x", std::string(ns::kMucUser));
  for (const auto& recipient : recipients) {
    recipient->post([copy](SessionContext& s, MucParticipant& self) { self.on_private(s, copy); });
  }
}

void send_invites(SessionContext& session, MucParticipant& participant, const XmlElement& stanza,
                  const std::string& room, const std::vector<InviteRequest>& invites) {
  for (const auto& invite : invites) {
    auto to = model::Address::parse(invite.to);
    if (!to || invite.to.empty()) {
      detail::send_error(session, stanza, ErrorCondition::jid_malformed, "bad invitee");
      continue;
    }
    session.rooms().invite(detail::actor_of(session), room, to->bare(), invite.reason,
                           detail::reply_on_error(participant, stanza));
  }
}

}  // namespace

void handle_message(SessionContext& session, MucParticipant& participant, const XmlElement& stanza,
                    const model::Address& to) {
  const std::string type = stanza.attr_or("type", "normal");
  if (type == "error") return;
  if (to.local().empty()) {
    // Nothing is served at the service's own address (RFC 6120 §10.5.1).
    if (!stanza.child_text("body").empty()) {
      detail::send_error(session, stanza, ErrorCondition::service_unavailable);
    }
    return;
  }
  const std::string room = to.local();
  if (to.is_full()) {
    if (type == "groupchat") {
      // §7.5: groupchat to an occupant is not allowed.
      detail::send_error(session, stanza, ErrorCondition::bad_request,
                         "groupchat messages go to the room");
      return;
    }
    send_private(session, participant, stanza, room, to.resource());
    return;
  }
  if (type == "groupchat") {
    post_groupchat(session, participant, stanza, room);
    return;
  }
  if (auto invites = parse_invites(stanza); !invites.empty()) {
    send_invites(session, participant, stanza, room, invites);
    return;
  }
  if (!stanza.child_text("body").empty()) {
    detail::send_error(session, stanza, ErrorCondition::bad_request,
                       "messages to a room must be of type groupchat");
  }
}

}  // namespace parley::xmpp::muc
