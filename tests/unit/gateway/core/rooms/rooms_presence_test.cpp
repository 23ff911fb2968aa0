// Joining, leaving and posting through the real service and store (XEP-0045 §7.2, §7.4).
#include <gtest/gtest.h>

#include "tests/unit/gateway/core/rooms/rooms_test_support.hpp"

namespace parley::core::rooms::testing {
namespace {

using model::ErrorCondition;

class RoomsPresenceTest : public RoomsTest {
 protected:
  void SetUp() override {
    RoomsTest::SetUp();
    general_category();
    ASSERT_TRUE(create(alice_, "lobby").ok());
  }
  std::shared_ptr<RecordingParticipant> a_ = std::make_shared<RecordingParticipant>();
  std::shared_ptr<RecordingParticipant> b_ = std::make_shared<RecordingParticipant>();
  std::shared_ptr<RecordingParticipant> c_ = std::make_shared<RecordingParticipant>();
};

TEST_F(RoomsPresenceTest, PostFansOutOneSharedObjectAfterCommit) {
  ASSERT_TRUE(join("lobby", alice_, "Alice", a_).ok());
  ASSERT_TRUE(join("lobby", bob_, "Bob", b_).ok());
  auto posted = post("lobby", b_.get(), "hello room");
  ASSERT_TRUE(posted.ok()) << posted.error().text;
  const auto& message = *posted;
  EXPECT_EQ(message->body, "hello room");
  EXPECT_EQ(message->nickname, "Bob");
  EXPECT_EQ(message->from_user, bob_);
  EXPECT_EQ(message->room, "lobby");
  EXPECT_EQ(message->stamp, clock_.now());
  ASSERT_TRUE(a_->wait_for<api::RoomMessagePosted>(1));
  ASSERT_TRUE(b_->wait_for<api::RoomMessagePosted>(1));  // the sender gets its echo
  // One object for every recipient: the same pointer, not copies.
  EXPECT_EQ(a_->of<api::RoomMessagePosted>()[0].message.get(), message.get());
  EXPECT_EQ(b_->of<api::RoomMessagePosted>()[0].message.get(), message.get());
  // Committed before it was shown: the archive has it.
  Await<api::RoomsResult<api::HistoryPage>> page;
  rooms().history(api::RoomActor{carol_}, api::HistoryQuery{"lobby"}, page.callback());
  auto history = page.get();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->messages.size(), 1u);
  EXPECT_EQ(history->messages[0]->id, message->id);
}

TEST_F(RoomsPresenceTest, JoinReturnsOccupantsAndAnnouncesToOthers) {
  auto first = join("lobby", alice_, "Alice", a_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->self, (api::Occupant{"Alice", alice_, model::RoomRole::manager}));
  EXPECT_EQ(first->room->id, "lobby");
  auto second = join("lobby", addr("bob@example.com/laptop"), "Bob", b_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->self.user, bob_);  // identity is the bare address
  ASSERT_EQ(second->occupants.size(), 2u);
  EXPECT_EQ(second->occupants[0].nickname, "Alice");
  EXPECT_EQ(second->occupants[1].nickname, "Bob");
  ASSERT_TRUE(a_->wait_for<api::ParticipantJoined>(1));
  EXPECT_EQ(a_->of<api::ParticipantJoined>()[0].occupant.nickname, "Bob");
  EXPECT_TRUE(b_->of<api::ParticipantJoined>().empty());  // own join comes through done
}

TEST_F(RoomsPresenceTest, NicknameConflictAndMultiSession) {
  ASSERT_TRUE(join("lobby", alice_, "Al", a_).ok());
  EXPECT_EQ(condition(join("lobby", bob_, "Al", b_)), ErrorCondition::conflict);
  // Another session of the same user may share the nickname; nobody sees a second join.
  auto phone = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("lobby", addr("alice@example.com/phone"), "Al", phone).ok());
  ASSERT_TRUE(join("lobby", carol_, "Carol", c_).ok());
  EXPECT_EQ(c_->of<api::ParticipantJoined>().size(), 0u);
  EXPECT_EQ(a_->of<api::ParticipantJoined>().size(), 1u);  // Carol only
  // Joining again with the same session returns the state; another nickname is refused.
  auto again = join("lobby", alice_, "Al", a_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->occupants.size(), 2u);
  EXPECT_EQ(condition(join("lobby", alice_, "Other", a_)), ErrorCondition::not_acceptable);
  EXPECT_EQ(condition(join("lobby", bob_, "", b_)), ErrorCondition::not_acceptable);
  EXPECT_EQ(condition(join("nowhere", bob_, "Bob", b_)), ErrorCondition::item_not_found);
}

TEST_F(RoomsPresenceTest, LeaveAnnouncesOnlyWhenTheLastSessionLeaves) {
  auto phone = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("lobby", alice_, "Al", a_).ok());
  ASSERT_TRUE(join("lobby", alice_, "Al", phone).ok());
  ASSERT_TRUE(join("lobby", bob_, "Bob", b_).ok());
  rooms().leave("lobby", phone.get());
  rooms().leave("lobby", b_.get());
  ASSERT_TRUE(a_->wait_for<api::ParticipantLeft>(1));
  EXPECT_EQ(a_->of<api::ParticipantLeft>()[0].occupant.nickname, "Bob");
  rooms().leave_all(a_.get());
  // Nobody left in the room: a post from the gone session is refused.
  EXPECT_EQ(condition(post("lobby", a_.get(), "x")), ErrorCondition::not_acceptable);
  // The nickname is free again.
  EXPECT_TRUE(join("lobby", carol_, "Al", c_).ok());
}

TEST_F(RoomsPresenceTest, JoinSendsRecentHistoryOldestFirst) {
  ASSERT_TRUE(join("lobby", alice_, "Alice", a_).ok());
  for (int i = 1; i <= 30; ++i) {
    clock_.advance(std::chrono::seconds(1));
    ASSERT_TRUE(post("lobby", a_.get(), "m" + std::to_string(i)).ok());
  }
  auto joined = join("lobby", bob_, "Bob", b_);  // default: the service's 20
  ASSERT_TRUE(joined.ok());
  ASSERT_EQ(joined->history.size(), 20u);
  EXPECT_EQ(joined->history.front()->body, "m11");
  EXPECT_EQ(joined->history.back()->body, "m30");

  api::HistoryRequest few;
  few.max_messages = 3;
  auto carol = join("lobby", carol_, "Carol", c_, few);
  ASSERT_TRUE(carol.ok());
  ASSERT_EQ(carol->history.size(), 3u);
  EXPECT_EQ(carol->history[0]->body, "m28");

  auto d = std::make_shared<RecordingParticipant>();
  api::HistoryRequest since;
  since.since = clock_.now() - std::chrono::seconds(1);  // the last two
  auto dave = join("lobby", dave_, "Dave", d, since);
  ASSERT_TRUE(dave.ok());
  ASSERT_EQ(dave->history.size(), 2u);
  EXPECT_EQ(dave->history[1]->body, "m30");

  api::HistoryRequest none;
  none.max_messages = 0;
  rooms().leave("lobby", d.get());
  auto d2 = std::make_shared<RecordingParticipant>();
  auto quiet = join("lobby", dave_, "Dave", d2, none);
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE(quiet->history.empty());
}

TEST_F(RoomsPresenceTest, AuditoriumOnlyPresentersAndManagersPost) {
  ASSERT_TRUE(
      create(alice_, "town-hall", model::RoomPrivacy::open, model::RoomType::auditorium).ok());
  ASSERT_TRUE(join("town-hall", alice_, "Alice", a_).ok());
  ASSERT_TRUE(join("town-hall", bob_, "Bob", b_).ok());
  ASSERT_TRUE(join("town-hall", carol_, "Carol", c_).ok());
  ASSERT_FALSE(set_role(alice_, "town-hall", carol_, model::RoomRole::member));
  ASSERT_FALSE(set_role(alice_, "town-hall", dave_, model::RoomRole::presenter));
  auto d = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("town-hall", dave_, "Dave", d).ok());

  auto denied = post("town-hall", b_.get(), "question?");
  EXPECT_EQ(condition(denied), ErrorCondition::forbidden);
  EXPECT_EQ(condition(post("town-hall", c_.get(), "me too")), ErrorCondition::forbidden);
  EXPECT_TRUE(post("town-hall", d.get(), "welcome").ok());
  EXPECT_TRUE(post("town-hall", a_.get(), "thanks").ok());
  ASSERT_TRUE(b_->wait_for<api::RoomMessagePosted>(2));  // listeners still receive
  drain_store();
  EXPECT_EQ(b_->of<api::RoomMessagePosted>().size(), 2u);
}

TEST_F(RoomsPresenceTest, ClosedAndSecretRoomsAdmitMembersOnly) {
  ASSERT_TRUE(create(alice_, "closed", model::RoomPrivacy::closed).ok());
  ASSERT_TRUE(create(alice_, "secret", model::RoomPrivacy::secret).ok());
  EXPECT_EQ(condition(join("closed", bob_, "Bob", b_)), ErrorCondition::registration_required);
  EXPECT_EQ(condition(join("secret", bob_, "Bob", b_)), ErrorCondition::item_not_found);
  ASSERT_FALSE(set_role(alice_, "secret", bob_, model::RoomRole::member));
  EXPECT_TRUE(join("secret", bob_, "Bob", b_).ok());
  ASSERT_FALSE(set_role(alice_, "closed", bob_, model::RoomRole::member));
  auto b2 = std::make_shared<RecordingParticipant>();
  EXPECT_TRUE(join("closed", bob_, "Bob", b2).ok());
}

TEST_F(RoomsPresenceTest, FullRoomRefusesNewOccupants) {
  config_.max_occupants = 2;
  reopen();
  ASSERT_TRUE(join("lobby", alice_, "Alice", a_).ok());
  ASSERT_TRUE(join("lobby", bob_, "Bob", b_).ok());
  EXPECT_EQ(condition(join("lobby", carol_, "Carol", c_)), ErrorCondition::service_unavailable);
  auto phone = std::make_shared<RecordingParticipant>();
  EXPECT_TRUE(join("lobby", bob_, "Bob", phone).ok());  // an existing occupant's session
}

}  // namespace
}  // namespace parley::core::rooms::testing
