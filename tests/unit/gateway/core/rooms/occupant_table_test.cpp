// The per-room participant table: nicknames, multi-session occupants, removal.
#include <gtest/gtest.h>

#include "gateway/core/rooms/occupant_table.hpp"
#include "tests/unit/gateway/core/rooms/rooms_test_support.hpp"

namespace parley::core::rooms {
namespace {

using testing::addr;
using testing::RecordingParticipant;

class OccupantTableTest : public ::testing::Test {
 protected:
  api::Occupant occupant(const std::string& nick, const model::Address& user,
                         model::RoomRole role = model::RoomRole::none) {
    return api::Occupant{nick, user, role};
  }
  OccupantTable table_;
  model::Address alice_ = addr("alice@example.com");
  model::Address bob_ = addr("bob@example.com");
  std::shared_ptr<RecordingParticipant> s1_ = std::make_shared<RecordingParticipant>();
  std::shared_ptr<RecordingParticipant> s2_ = std::make_shared<RecordingParticipant>();
  std::shared_ptr<RecordingParticipant> s3_ = std::make_shared<RecordingParticipant>();
};

TEST_F(OccupantTableTest, SessionsOfOneUserShareANickname) {
  EXPECT_EQ(table_.add(occupant("al", alice_), s1_), AddOutcome::new_occupant);
  // XEP-0045 §7.2.10: a second session of the same bare user under the same nickname.
  EXPECT_EQ(table_.add(occupant("al", addr("alice@example.com/phone")), s2_),
            AddOutcome::added_session);
  EXPECT_EQ(table_.add(occupant("al", alice_), s1_), AddOutcome::already_present);
  EXPECT_EQ(table_.occupant_count(), 1u);
  EXPECT_EQ(table_.session_count(), 2u);
  EXPECT_EQ(table_.find_nickname("al")->occupant.user, alice_);  // stored bare
  EXPECT_EQ(table_.find_session(s2_.get())->occupant.nickname, "al");

  // Only the last session leaving makes the occupant leave.
  EXPECT_FALSE(table_.remove_session(s1_.get()).has_value());
  auto left = table_.remove_session(s2_.get());
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ(left->nickname, "al");
  EXPECT_TRUE(table_.empty());
  EXPECT_FALSE(table_.remove_session(s2_.get()).has_value());
}

TEST_F(OccupantTableTest, NicknamesAreUniqueAcrossUsers) {
  ASSERT_TRUE(table_.add(occupant("x", alice_), s1_));
  EXPECT_TRUE(table_.nickname_taken_by_other("x", bob_));
  EXPECT_FALSE(table_.nickname_taken_by_other("x", alice_));
  EXPECT_FALSE(table_.add(occupant("x", bob_), s2_).has_value());
  EXPECT_FALSE(table_.add(occupant("other", alice_), s1_).has_value());  // one nick per session
  EXPECT_EQ(table_.add(occupant("X", bob_), s2_), AddOutcome::new_occupant);  // case matters
}

TEST_F(OccupantTableTest, RemoveByNicknameAndByUser) {
  ASSERT_TRUE(table_.add(occupant("a1", alice_), s1_));
  ASSERT_TRUE(table_.add(occupant("a2", alice_), s2_));
  ASSERT_TRUE(table_.add(occupant("b", bob_), s3_));
  auto removed = table_.remove_user(alice_);
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(table_.occupant_count(), 1u);
  EXPECT_EQ(table_.find_session(s1_.get()), nullptr);
  auto entry = table_.remove_nickname("b");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->sessions.size(), 1u);
  EXPECT_EQ(table_.session_count(), 0u);
}

TEST_F(OccupantTableTest, RoleChangesShowOnEveryNicknameOfTheUser) {
  ASSERT_TRUE(table_.add(occupant("a1", alice_), s1_));
  ASSERT_TRUE(table_.add(occupant("a2", alice_), s2_));
  ASSERT_TRUE(table_.add(occupant("b", bob_), s3_));
  EXPECT_EQ(table_.set_role(alice_, model::RoomRole::presenter),
            (std::vector<std::string>{"a1", "a2"}));
  auto list = table_.occupants();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].role, model::RoomRole::presenter);
  EXPECT_EQ(list[2].role, model::RoomRole::none);
  int sessions = 0;
  table_.for_each_session([&](api::RoomParticipant&) { ++sessions; });
  EXPECT_EQ(sessions, 3);
}

}  // namespace
}  // namespace parley::core::rooms
