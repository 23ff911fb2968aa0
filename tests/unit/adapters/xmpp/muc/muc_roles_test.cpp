#include "adapters/xmpp/muc/muc_roles.hpp"

#include <gtest/gtest.h>

namespace parley::xmpp::muc {
namespace {

using model::RoomRole;
using model::RoomType;

struct PositionCase {
  RoomRole role;
  RoomType type;
  std::string_view affiliation;
  std::string_view muc_role;
};

TEST(MucRoles, ModelRolesMapToAffiliationAndRole) {
  const PositionCase cases[] = {
      {RoomRole::manager, RoomType::normal, "owner", "moderator"},
      {RoomRole::manager, RoomType::auditorium, "owner", "moderator"},
      {RoomRole::presenter, RoomType::normal, "member", "participant"},
      {RoomRole::presenter, RoomType::auditorium, "member", "participant"},
      {RoomRole::member, RoomType::normal, "member", "participant"},
      {RoomRole::member, RoomType::auditorium, "member", "visitor"},
      {RoomRole::none, RoomType::normal, "none", "participant"},
      {RoomRole::none, RoomType::auditorium, "none", "visitor"},
  };
  for (const auto& c : cases) {
    const auto position = muc_position(c.role, c.type);
    EXPECT_EQ(position.affiliation, c.affiliation) << model::room_role_name(c.role);
    EXPECT_EQ(position.role, c.muc_role) << model::room_role_name(c.role);
  }
}

TEST(MucRoles, AffiliationsBecomeRolesOrBans) {
  EXPECT_EQ(change_for_affiliation("owner")->role, RoomRole::manager);
  EXPECT_EQ(change_for_affiliation("admin")->role, RoomRole::manager);
  EXPECT_EQ(change_for_affiliation("member")->role, RoomRole::member);
  EXPECT_EQ(change_for_affiliation("none")->role, RoomRole::none);
  EXPECT_EQ(change_for_affiliation("outcast")->action, AdminAction::ban);
  EXPECT_FALSE(change_for_affiliation("emperor"));
}

TEST(MucRoles, RolesDependOnTheRoomType) {
  EXPECT_EQ(change_for_role("none", RoomType::normal)->action, AdminAction::kick);
  EXPECT_EQ(change_for_role("moderator", RoomType::normal)->role, RoomRole::manager);
  EXPECT_EQ(change_for_role("participant", RoomType::auditorium)->role, RoomRole::presenter);
  EXPECT_EQ(change_for_role("participant", RoomType::normal)->role, RoomRole::member);
  EXPECT_EQ(change_for_role("visitor", RoomType::auditorium)->role, RoomRole::member);
  EXPECT_FALSE(change_for_role("visitor", RoomType::normal));  // everyone speaks there
  EXPECT_FALSE(change_for_role("bogus", RoomType::normal));
}

TEST(MucRoles, AffiliationListsSelectTheirRoles) {
  EXPECT_TRUE(affiliation_matches("owner", RoomRole::manager));
  EXPECT_FALSE(affiliation_matches("owner", RoomRole::member));
  EXPECT_TRUE(affiliation_matches("member", RoomRole::presenter));
  EXPECT_TRUE(affiliation_matches("member", RoomRole::member));
  EXPECT_FALSE(affiliation_matches("member", RoomRole::none));
  EXPECT_FALSE(affiliation_matches("outcast", RoomRole::none));
}

}  // namespace
}  // namespace parley::xmpp::muc
