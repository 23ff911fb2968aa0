// MUC presence: entering a room (XEP-0045 §7.2, creating it as an instant room when it does
// not exist, §10.1.2) and leaving it (§7.14).
#include <chrono>

#include "adapters/xmpp/muc/muc_component.hpp"
#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "adapters/xmpp/muc/muc_stanzas.hpp"
#include "adapters/xmpp/muc/muc_util.hpp"

namespace parley::xmpp::muc {
namespace {

using model::ErrorCondition;
using wire::XmlElement;

struct JoinAttempt {
  XmlElement stanza;  // the join presence, for error replies
  std::string room;
  std::string nickname;
  HistoryParams history;
  bool created = false;  // the room was just created for this join (status 201)
};

void join(SessionContext& session, MucParticipant& participant, JoinAttempt attempt);

// §10.1.2: the room does not exist (or is secret to us): try to create it in the default
// category as an instant room, then join it. A room we cannot create stays "not found", so a
// secret room's existence does not leak.
void create_and_join(SessionContext& session, MucParticipant& participant, JoinAttempt attempt,
                     model::StanzaError not_found) {
  api::RoomSettings settings;
  settings.id = attempt.room;
  settings.name = attempt.room;
  settings.category = session.config().muc_default_category;
  session.rooms().create_room(
      detail::actor_of(session), std::move(settings),
      [self = participant.shared_from_this(), attempt = std::move(attempt),
       not_found](api::RoomsResult<std::shared_ptr<const model::Room>> created) mutable {
        self->post([attempt = std::move(attempt), not_found, created = std::move(created)](
                       SessionContext& s, MucParticipant& p) mutable {
          if (!p.joining.contains(attempt.room)) return;  // left meanwhile
          if (!created) {
            p.joining.erase(attempt.room);
            const auto condition = created.error().condition;
            if (condition == ErrorCondition::forbidden || condition == ErrorCondition::conflict ||
                condition == ErrorCondition::item_not_found) {
              not_found.text = "no such room, and you may not create it";
              s.send_error(attempt.stanza, not_found);
            } else {
              s.send_error(attempt.stanza, created.error());
            }
            return;
          }
          attempt.created = true;
          join(s, p, std::move(attempt));
        });
      });
}

void join(SessionContext& session, MucParticipant& participant, JoinAttempt attempt) {
  participant.joining[attempt.room] = attempt.nickname;
  api::JoinRequest request{attempt.room,
                           session.full_address(),
                           attempt.nickname,
                           participant.shared_from_this(),
                           attempt.history.request,
                           detail::source_of(session)};
  session.rooms().join(
      std::move(request), [self = participant.shared_from_this(), attempt = std::move(attempt)](
                              api::RoomsResult<api::JoinResult> result) mutable {
        self->post([attempt = std::move(attempt), result = std::move(result)](
                       SessionContext& s, MucParticipant& p) mutable {
          auto pending = p.joining.find(attempt.room);
          if (pending == p.joining.end() || pending->second != attempt.nickname) {
            // The user left before the join completed: leave again (the service may have seated
            // us).
            if (result) s.rooms().leave(attempt.room, &p);
            return;
          }
          if (result) {
            p.joining.erase(pending);
            p.on_joined(s, std::move(result).value(), attempt.created, attempt.history.max_chars);
            return;
          }
          auto error = result.error();
          if (error.condition == ErrorCondition::item_not_found && !attempt.created) {
            create_and_join(s, p, std::move(attempt), std::move(error));
            return;
          }
          p.joining.erase(pending);
          s.send_error(attempt.stanza, error);  // §7.2.6-§7.2.11: from room/nick
        });
      });
}

void leave(SessionContext& session, MucParticipant& participant, const std::string& room) {
  if (participant.joining.erase(room) > 0) {
    session.rooms().leave(room, &participant);
    return;
  }
  auto* joined = participant.find(room);
  if (!joined) return;
  session.rooms().leave(room, &participant);
  // §7.14: the self-presence of the departure (110), role none.
  api::Occupant self{joined->nickname, session.user().bare(), model::RoomRole::none};
  if (auto it = joined->occupants.find(joined->nickname); it != joined->occupants.end()) {
    self = it->second;
  }
  session.send(occupant_presence(joined->room_jid, self, joined->room->type,
                                 session.full_address().to_string(), {kStatusSelf}, true));
  participant.forget(room);
}

}  // namespace

void handle_presence(SessionContext& session, MucParticipant& participant, const XmlElement& stanza,
                     const model::Address& to) {
  const std::string type = stanza.attr_or("type");
  if (to.local().empty() || type == "error") return;  // presence to the service itself
  const std::string room = to.local();
  if (type == "unavailable") {
    leave(session, participant, room);
    return;
  }
  if (!type.empty()) return;  // subscriptions and probes to rooms mean nothing here
  if (to.resource().empty()) {
    // §7.2.1: a join needs a nickname.
    detail::send_error(session, stanza, ErrorCondition::jid_malformed, "no nickname given");
    return;
  }
  const std::string nickname = to.resource();
  if (auto* joined = participant.find(room)) {
    // Same nickname: a presence update (show/status are not relayed to the room).
    if (joined->nickname == nickname) return;
    // §7.6 nickname change: not offered; the rooms service keeps one nickname per session.
    detail::send_error(session, stanza, ErrorCondition::not_allowed,
                       "nickname changes are not supported: leave the room and join again");
    return;
  }
  if (participant.joining.contains(room)) return;  // a join is in flight already
  JoinAttempt attempt{stanza, room, nickname,
                      parse_history(stanza.child("x", ns::kMuc), std::chrono::system_clock::now())};
  join(session, participant, std::move(attempt));
}

void leave_all_rooms(api::Rooms& rooms, MucParticipant& participant) {
  rooms.leave_all(&participant);
  std::vector<std::string> ids;
  for (const auto& [id, joined] : participant.rooms) ids.push_back(id);
  for (const auto& id : ids) participant.forget(id);
  participant.joining.clear();
}

void end_session(api::Rooms& rooms, const model::Address& user, MucParticipant& participant) {
  leave_all_rooms(rooms, participant);
  rooms.unwatch(user.bare(), &participant);
}

}  // namespace parley::xmpp::muc
