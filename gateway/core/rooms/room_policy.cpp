#include "gateway/core/rooms/room_policy.hpp"

#include <string>

namespace parley::core::rooms {
namespace {

using model::ErrorCondition;
using model::RoomPrivacy;
using model::RoomRole;
using model::RoomType;

constexpr Decision allow() {
  return Decision{true, ErrorCondition::forbidden, {}};
}
constexpr Decision deny(ErrorCondition condition, std::string_view reason) {
  return Decision{false, condition, reason};
}

bool has_role(RoomRole role) {
  return role != RoomRole::none;
}

// Can the user see and enter the room at all? The answer every other action starts from.
Decision access(RoomAction action, RoomPrivacy privacy, RoomRole role) {
  switch (privacy) {
    case RoomPrivacy::open:
      return allow();
    case RoomPrivacy::closed:
      if (has_role(role) || action == RoomAction::find) return allow();
      if (action == RoomAction::join) {
        return deny(ErrorCondition::registration_required, "members-only room");
      }
      return deny(ErrorCondition::forbidden, "members-only room");
    case RoomPrivacy::secret:
      if (has_role(role)) return allow();
      return deny(ErrorCondition::item_not_found, "no such room");
  }
  return deny(ErrorCondition::forbidden, "unknown privacy");
}

}  // namespace

std::string_view room_action_name(RoomAction action) {
  switch (action) {
    case RoomAction::find:
      return "find";
    case RoomAction::join:
      return "join";
    case RoomAction::read:
      return "read";
    case RoomAction::post:
      return "post";
    case RoomAction::invite:
      return "invite";
    case RoomAction::change_topic:
      return "change-topic";
    case RoomAction::manage:
      return "manage";
  }
  return "unknown";
}

model::StanzaError Decision::error() const {
  return model::StanzaError::make(denial, std::string(reason));
}

Decision decide(RoomAction action, RoomPrivacy privacy, RoomType type, RoomRole role) {
  const Decision entry = access(action, privacy, role);
  if (!entry.allowed) return entry;
  switch (action) {
    case RoomAction::find:
    case RoomAction::join:
    case RoomAction::read:
      return allow();
    case RoomAction::post:
      if (type == RoomType::auditorium && role != RoomRole::presenter &&
          role != RoomRole::manager) {
        return deny(ErrorCondition::forbidden, "only presenters post in an auditorium");
      }
      return allow();
    case RoomAction::invite:
      if (role == RoomRole::manager) return allow();
      return deny(ErrorCondition::forbidden, "only managers invite");
    case RoomAction::change_topic:
      if (role == RoomRole::manager || role == RoomRole::presenter) return allow();
      return deny(ErrorCondition::forbidden, "only managers and presenters change the topic");
    case RoomAction::manage:
      if (role == RoomRole::manager) return allow();
      return deny(ErrorCondition::forbidden, "only managers manage the room");
  }
  return deny(ErrorCondition::forbidden, "unknown action");
}

std::optional<model::StanzaError> check(RoomAction action, RoomPrivacy privacy, RoomType type,
                                        RoomRole role) {
  const Decision decision = decide(action, privacy, type, role);
  if (decision.allowed) return std::nullopt;
  return decision.error();
}

}  // namespace parley::core::rooms
