#pragma once
// The room authorization policy: a pure function of (action, privacy, type, role), written as
// one table so every cell can be read, documented (docs/rooms.md) and tested. Lync persistent
// chat semantics (seed 000) expressed with XEP-0045 error conditions:
//  - open rooms: anyone finds, joins, reads and (in a normal room) posts;
//  - closed rooms: anyone finds them, only members (any explicit role) join and read; others get
//    registration-required on join (XEP-0045 §7.2.6 members-only) and forbidden otherwise;
//  - secret rooms: like closed, but invisible to non-members: every denial is item-not-found so
//    their existence is not revealed (seed 000: "secret rooms are not found by search");
//  - auditorium rooms: only presenters and managers post; others get forbidden (XEP-0045 §7.4
//    "visitor" in a moderated room);
//  - managers invite, change the topic, manage the room (settings, roles, kicks, bans, delete);
//    presenters may change the topic too (they lead the discussion).
// Bans and the administrator bypass are applied by the caller, not here.
#include <optional>
#include <string_view>

#include "mapping/model/room.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::core::rooms {

enum class RoomAction { find, join, read, post, invite, change_topic, manage };
inline constexpr RoomAction kAllRoomActions[] = {
    RoomAction::find,   RoomAction::join,         RoomAction::read,  RoomAction::post,
    RoomAction::invite, RoomAction::change_topic, RoomAction::manage};

std::string_view room_action_name(RoomAction action);

struct Decision {
  bool allowed = false;
  model::ErrorCondition denial = model::ErrorCondition::forbidden;  // when !allowed
  std::string_view reason;  // for people and logs; empty when allowed

  // The error for a denial, with the RFC 6120 §8.3.3 type of its condition.
  model::StanzaError error() const;
};

Decision decide(RoomAction action, model::RoomPrivacy privacy, model::RoomType type,
                model::RoomRole role);

// Convenience: nullopt when allowed.
std::optional<model::StanzaError> check(RoomAction action, model::RoomPrivacy privacy,
                                        model::RoomType type, model::RoomRole role);

}  // namespace parley::core::rooms
