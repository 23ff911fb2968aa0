#include "adapters/xmpp/muc/muc_participant.hpp"

#include <vector>

#include "adapters/xmpp/muc/muc_stanzas.hpp"

namespace parley::xmpp::muc {

std::shared_ptr<const SessionContext::Poster> MucParticipant::current_poster() {
  std::lock_guard lock(mutex_);
  return poster_;
}

void MucParticipant::to_strand(std::function<void(SessionContext&)> task) {
  const auto poster = current_poster();
  if (*poster) (*poster)(std::move(task));
}

void MucParticipant::post(std::function<void(SessionContext&, MucParticipant&)> work) {
  to_strand(
      [self = shared_from_this(), work = std::move(work)](SessionContext& s) { work(s, *self); });
}

void MucParticipant::retarget(SessionContext::Poster poster) {
  auto shared = std::make_shared<const SessionContext::Poster>(std::move(poster));
  std::lock_guard lock(mutex_);
  poster_ = std::move(shared);
}

void MucParticipant::deliver(api::RoomEvent event) {
  // Posting keeps the service's order: join result and events reach the strand in call order.
  // Called once per occupant for every room event: one closure, not one wrapped in another.
  to_strand([self = shared_from_this(), event = std::move(event)](SessionContext& s) mutable {
    self->on_event(s, event);
  });
}

MucParticipant::JoinedRoom* MucParticipant::find(const std::string& room_id) {
  auto it = rooms.find(room_id);
  return it == rooms.end() ? nullptr : &it->second;
}

void MucParticipant::forget(const std::string& room_id) {
  auto it = rooms.find(room_id);
  if (it == rooms.end()) return;
  registry_->remove(room_id, it->second.nickname, this);
  rooms.erase(it);
}

void MucParticipant::on_joined(SessionContext& session, api::JoinResult result, bool created,
                               std::optional<std::size_t> max_chars) {
  const std::string& id = result.room->id;
  JoinedRoom joined{room_jid(id, registry_->muc_domain()), result.self.nickname, result.room, {}};
  for (const auto& occupant : result.occupants) joined.occupants[occupant.nickname] = occupant;
  const std::string to = session.full_address().to_string();
  const auto type = result.room->type;
  // §7.2.3: the presence of every other occupant first, then our own with 110 last.
  for (const auto& occupant : result.occupants) {
    if (occupant.nickname == result.self.nickname) continue;
    session.send(occupant_presence(joined.room_jid, occupant, type, to, {}));
  }
  std::vector<int> statuses{kStatusNonAnonymous, kStatusSelf};
  if (created) statuses.push_back(kStatusCreated);
  session.send(occupant_presence(joined.room_jid, result.self, type, to, statuses));
  // §7.2.15 history (maxchars counts the serialized stanzas), then §7.2.16 the subject.
  std::vector<wire::XmlElement> history;
  history.reserve(result.history.size());
  for (const auto& message : result.history) {
    history.push_back(history_message(joined.room_jid, *message, to));
  }
  const std::size_t start = max_chars ? history_start_for_chars(history, *max_chars) : 0;
  for (std::size_t i = start; i < history.size(); ++i) session.send(std::move(history[i]));
  session.send(subject_message(joined.room_jid, result.room->topic, to));
  registry_->add(id, joined.nickname, shared_from_this());
  rooms[id] = std::move(joined);
}

void MucParticipant::on_private(SessionContext& session, wire::XmlElement stanza) {
  stanza.set_attr("to", session.full_address().to_string());
  session.send(std::move(stanza));
}

void MucParticipant::on_event(SessionContext& session, api::RoomEvent& event) {
  std::visit([this, &session](auto& e) { handle(session, e); }, event);
}

void MucParticipant::handle(SessionContext& session, api::RoomMessagePosted& e) {
  if (!e.message || !find(e.message->room)) return;
  // Serialized once for the whole room; only 'to' differs per recipient.
  session.send_shared(*registry_->groupchat(e.message));
}

void MucParticipant::handle(SessionContext& session, api::ParticipantJoined& e) {
  auto* joined = find(e.room);
  if (!joined) return;
  joined->occupants[e.occupant.nickname] = e.occupant;
  session.send(occupant_presence(joined->room_jid, e.occupant, joined->room->type,
                                 session.full_address().to_string(), {}));
}

void MucParticipant::handle(SessionContext& session, api::ParticipantLeft& e) {
  auto* joined = find(e.room);
  if (!joined) return;
  joined->occupants.erase(e.occupant.nickname);
  session.send(occupant_presence(joined->room_jid, e.occupant, joined->room->type,
                                 session.full_address().to_string(), {}, true));
}

void MucParticipant::handle(SessionContext& session, api::ParticipantRemoved& e) {
  auto* joined = find(e.room);
  if (!joined) return;
  const bool self = e.occupant.nickname == joined->nickname;
  session.send(removal_presence(joined->room_jid, e, joined->room->type,
                                session.full_address().to_string(), self));
  if (self) {
    forget(e.room);
  } else {
    joined->occupants.erase(e.occupant.nickname);
  }
}

void MucParticipant::handle(SessionContext& session, api::ParticipantRoleChanged& e) {
  auto* joined = find(e.room);
  if (!joined || e.nickname.empty()) return;
  auto it = joined->occupants.find(e.nickname);
  if (it == joined->occupants.end()) return;
  it->second.role = e.role;
  // §8.3-§8.6, §9.3-§9.8: the changed occupant's presence again, to everyone.
  std::vector<int> statuses;
  if (e.nickname == joined->nickname) statuses.push_back(kStatusSelf);
  session.send(occupant_presence(joined->room_jid, it->second, joined->room->type,
                                 session.full_address().to_string(), statuses));
}

void MucParticipant::handle(SessionContext& session, api::TopicChanged& e) {
  auto* joined = find(e.room);
  if (!joined) return;
  joined->room = std::make_shared<const model::Room>([&] {
    model::Room copy = *joined->room;
    copy.topic = e.topic;
    return copy;
  }());
  // §8.1: from the occupant who changed it, or from the room itself.
  const std::string from =
      e.by_nickname.empty() ? joined->room_jid : occupant_jid(joined->room_jid, e.by_nickname);
  session.send(subject_message(from, e.topic, session.full_address().to_string()));
}

void MucParticipant::handle(SessionContext& session, api::RoomChanged& e) {
  if (!e.room) return;
  auto* joined = find(e.room->id);
  if (!joined) return;
  joined->room = e.room;
  session.send(
      status_message(joined->room_jid, kStatusConfigChanged, session.full_address().to_string()));
}

void MucParticipant::handle(SessionContext& session, api::RoomDeleted& e) {
  auto* joined = find(e.room);
  if (!joined) return;
  session.send(destroyed_presence(joined->room_jid, joined->nickname, e.reason,
                                  session.full_address().to_string()));
  forget(e.room);
}

void MucParticipant::handle(SessionContext& session, api::InvitationReceived& e) {
  // §7.8.2: the mediated invitation, from the room.
  session.send(invite_message(room_jid(e.invitation.room, registry_->muc_domain()), e.invitation,
                              session.full_address().to_string()));
}

}  // namespace parley::xmpp::muc
