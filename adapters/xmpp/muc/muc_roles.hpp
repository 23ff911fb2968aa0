#pragma once
// The rooms model's roles seen through XEP-0045 affiliations and roles (§5.1, §5.2).
//
// Mapping (one direction is a table, the other a decision per request):
//   manager   -> owner  / moderator
//   presenter -> member / participant
//   member    -> member / participant (visitor in an auditorium: only presenters speak)
//   none      -> none   / participant (visitor in an auditorium)
// Auditoriums are XEP-0045 moderated rooms (§3.1 "moderated room"): voice = presenter.
#include <optional>
#include <string_view>

#include "mapping/model/room.hpp"

namespace parley::xmpp::muc {

struct MucPosition {
  std::string_view affiliation;  // owner | admin | member | none | outcast
  std::string_view role;         // moderator | participant | visitor | none
};

MucPosition muc_position(model::RoomRole role, model::RoomType type);

// What a muc#admin item asks for (§8, §9): the model role it sets, a kick or a ban.
enum class AdminAction { set_role, kick, ban };
struct AdminChange {
  AdminAction action = AdminAction::set_role;
  model::RoomRole role = model::RoomRole::none;  // for set_role
};

// From an item's 'affiliation' (§9: owner/admin -> manager, member, none, outcast -> ban).
std::optional<AdminChange> change_for_affiliation(std::string_view affiliation);
// From an item's 'role' (§8: none -> kick, moderator -> manager, participant -> voice,
// visitor -> no voice). nullopt: not expressible in this room (a visitor in a normal room).
std::optional<AdminChange> change_for_role(std::string_view role, model::RoomType type);

// The model roles an affiliation list request (§9.5, §10.5) covers.
bool affiliation_matches(std::string_view affiliation, model::RoomRole role);

}  // namespace parley::xmpp::muc
