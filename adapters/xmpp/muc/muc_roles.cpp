#include "adapters/xmpp/muc/muc_roles.hpp"

namespace parley::xmpp::muc {

using model::RoomRole;
using model::RoomType;

MucPosition muc_position(RoomRole role, RoomType type) {
  const bool auditorium = type == RoomType::auditorium;
  switch (role) {
    case RoomRole::manager:
      return {"owner", "moderator"};
    case RoomRole::presenter:
      return {"member", "participant"};
    case RoomRole::member:
      return {"member", auditorium ? "visitor" : "participant"};
    case RoomRole::none:
      break;
  }
  return {"none", auditorium ? "visitor" : "participant"};
}

std::optional<AdminChange> change_for_affiliation(std::string_view affiliation) {
  // XEP-0045 §9.1 ban, §9.3 member, §10.3/§10.6 owner and admin (one manager role here).
  if (affiliation == "owner" || affiliation == "admin") {
    return AdminChange{AdminAction::set_role, RoomRole::manager};
  }
  if (affiliation == "member") return AdminChange{AdminAction::set_role, RoomRole::member};
  if (affiliation == "none") return AdminChange{AdminAction::set_role, RoomRole::none};
  if (affiliation == "outcast") return AdminChange{AdminAction::ban, RoomRole::none};
  return std::nullopt;
}

std::optional<AdminChange> change_for_role(std::string_view role, RoomType type) {
  const bool auditorium = type == RoomType::auditorium;
  if (role == "none") return AdminChange{AdminAction::kick, RoomRole::none};              // §8.2
  if (role == "moderator") return AdminChange{AdminAction::set_role, RoomRole::manager};  // §8.6
  if (role == "participant") {
    // §8.3 granting voice: in an auditorium that makes a presenter; elsewhere everyone speaks
    // already, so it means a plain member.
    return AdminChange{AdminAction::set_role, auditorium ? RoomRole::presenter : RoomRole::member};
  }
  if (role == "visitor" && auditorium) {
    return AdminChange{AdminAction::set_role, RoomRole::member};  // §8.4 revoking voice
  }
  return std::nullopt;
}

bool affiliation_matches(std::string_view affiliation, RoomRole role) {
  if (affiliation == "owner" || affiliation == "admin") return role == RoomRole::manager;
  if (affiliation == "member") return role == RoomRole::member || role == RoomRole::presenter;
  return false;
}

}  // namespace parley::xmpp::muc
