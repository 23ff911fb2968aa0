// Every cell of the policy table: 3 privacies x 2 types x 4 roles x 7 actions. The expected
// table is written out literally (the same table as docs/rooms.md), not computed.
#include <gtest/gtest.h>

#include <string>

#include "gateway/core/rooms/room_policy.hpp"

namespace parley::core::rooms {
namespace {

using model::ErrorCondition;
using model::RoomPrivacy;
using model::RoomRole;
using model::RoomType;

// One letter per action in kAllRoomActions order (find, join, read, post, invite,
// change_topic, manage): Y allowed, F forbidden, R registration-required, N item-not-found.
struct Row {
  RoomPrivacy privacy;
  RoomType type;
  RoomRole role;
  const char* cells;
};

constexpr Row kTable[] = {
    {RoomPrivacy::open, RoomType::normal, RoomRole::none, "YYYYFFF"},
    {RoomPrivacy::open, RoomType::normal, RoomRole::member, "YYYYFFF"},
    {RoomPrivacy::open, RoomType::normal, RoomRole::presenter, "YYYYFYF"},
    {RoomPrivacy::open, RoomType::normal, RoomRole::manager, "YYYYYYY"},
    {RoomPrivacy::open, RoomType::auditorium, RoomRole::none, "YYYFFFF"},
    {RoomPrivacy::open, RoomType::auditorium, RoomRole::member, "YYYFFFF"},
    {RoomPrivacy::open, RoomType::auditorium, RoomRole::presenter, "YYYYFYF"},
    {RoomPrivacy::open, RoomType::auditorium, RoomRole::manager, "YYYYYYY"},
    {RoomPrivacy::closed, RoomType::normal, RoomRole::none, "YRFFFFF"},
    {RoomPrivacy::closed, RoomType::normal, RoomRole::member, "YYYYFFF"},
    {RoomPrivacy::closed, RoomType::normal, RoomRole::presenter, "YYYYFYF"},
    {RoomPrivacy::closed, RoomType::normal, RoomRole::manager, "YYYYYYY"},
    {RoomPrivacy::closed, RoomType::auditorium, RoomRole::none, "YRFFFFF"},
    {RoomPrivacy::closed, RoomType::auditorium, RoomRole::member, "YYYFFFF"},
    {RoomPrivacy::closed, RoomType::auditorium, RoomRole::presenter, "YYYYFYF"},
    {RoomPrivacy::closed, RoomType::auditorium, RoomRole::manager, "YYYYYYY"},
    {RoomPrivacy::secret, RoomType::normal, RoomRole::none, "NNNNNNN"},
    {RoomPrivacy::secret, RoomType::normal, RoomRole::member, "YYYYFFF"},
    {RoomPrivacy::secret, RoomType::normal, RoomRole::presenter, "YYYYFYF"},
    {RoomPrivacy::secret, RoomType::normal, RoomRole::manager, "YYYYYYY"},
    {RoomPrivacy::secret, RoomType::auditorium, RoomRole::none, "NNNNNNN"},
    {RoomPrivacy::secret, RoomType::auditorium, RoomRole::member, "YYYFFFF"},
    {RoomPrivacy::secret, RoomType::auditorium, RoomRole::presenter, "YYYYFYF"},
    {RoomPrivacy::secret, RoomType::auditorium, RoomRole::manager, "YYYYYYY"},
};

char letter(const Decision& d) {
  if (d.allowed) return 'Y';
  switch (d.denial) {
    case ErrorCondition::forbidden:
      return 'F';
    case ErrorCondition::registration_required:
      return 'R';
    case ErrorCondition::item_not_found:
      return 'N';
    default:
      return '?';
  }
}

TEST(RoomPolicy, EveryCellOfTheTable) {
  int cells = 0;
  for (const Row& row : kTable) {
    std::size_t i = 0;
    for (RoomAction action : kAllRoomActions) {
      const Decision d = decide(action, row.privacy, row.type, row.role);
      EXPECT_EQ(letter(d), row.cells[i])
          << model::room_privacy_name(row.privacy) << " " << model::room_type_name(row.type) << " "
          << model::room_role_name(row.role) << " " << room_action_name(action);
      // Every denial explains itself; every allowance is silent.
      EXPECT_EQ(d.reason.empty(), d.allowed);
      ++i;
      ++cells;
    }
  }
  EXPECT_EQ(cells, 3 * 2 * 4 * 7);
}

TEST(RoomPolicy, DenialsCarryTheRfc6120ErrorType) {
  auto e = check(RoomAction::join, RoomPrivacy::closed, RoomType::normal, RoomRole::none);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->condition, ErrorCondition::registration_required);
  EXPECT_EQ(e->type, model::ErrorType::auth);  // RFC 6120 §8.3.3.16
  EXPECT_EQ(e->text, "members-only room");
  e = check(RoomAction::post, RoomPrivacy::open, RoomType::auditorium, RoomRole::member);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, model::ErrorType::auth);  // forbidden, §8.3.3.6
  EXPECT_FALSE(check(RoomAction::post, RoomPrivacy::open, RoomType::normal, RoomRole::none));
}

}  // namespace
}  // namespace parley::core::rooms
