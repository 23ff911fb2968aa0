// Invitations, followed rooms with unread counts, read marks, persistence across a reopen.
#include <gtest/gtest.h>

#include "tests/unit/gateway/core/rooms/rooms_test_support.hpp"

namespace parley::core::rooms::testing {
namespace {

using model::ErrorCondition;
using model::RoomRole;

class RoomsUserStateTest : public RoomsTest {
 protected:
  void SetUp() override {
    RoomsTest::SetUp();
    general_category();
  }
  ErrorResult invite(const model::Address& by, const std::string& room, const model::Address& to) {
    Await<ErrorResult> done;
    rooms().invite(api::RoomActor{by}, room, to, "please join", done.callback());
    return done.get();
  }
  std::vector<model::Invitation> invitations(const model::Address& user, bool unseen_only) {
    Await<std::vector<model::Invitation>> done;
    rooms().invitations(user, unseen_only, done.callback());
    return done.get();
  }
  std::vector<api::FollowedRoom> followed(const model::Address& user) {
    Await<std::vector<api::FollowedRoom>> done;
    rooms().followed(user, done.callback());
    return done.get();
  }
  ErrorResult follow(const model::Address& user, const std::string& room) {
    Await<ErrorResult> done;
    rooms().follow(api::RoomActor{user}, room, done.callback());
    return done.get();
  }
  ErrorResult mark_read(const model::Address& user, const std::string& room, std::string id) {
    Await<ErrorResult> done;
    rooms().mark_read(api::RoomActor{user}, room, id, done.callback());
    return done.get();
  }
};

TEST_F(RoomsUserStateTest, ManagersInviteIntoMembersOnlyRooms) {
  ASSERT_TRUE(create(alice_, "inner", model::RoomPrivacy::secret).ok());
  auto bob_session = std::make_shared<RecordingParticipant>();
  rooms().watch(bob_, bob_session);
  auto b = std::make_shared<RecordingParticipant>();
  EXPECT_EQ(condition(join("inner", bob_, "Bob", b)), ErrorCondition::item_not_found);

  EXPECT_FALSE(invite(alice_, "inner", bob_));
  ASSERT_TRUE(bob_session->wait_for<api::InvitationReceived>(1));
  const auto received = bob_session->of<api::InvitationReceived>()[0].invitation;
  EXPECT_EQ(received.room, "inner");
  EXPECT_EQ(received.from, alice_);
  EXPECT_EQ(received.reason, "please join");
  // The invitation made Bob a member: he can join and invite nobody.
  EXPECT_TRUE(join("inner", bob_, "Bob", b).ok());
  EXPECT_EQ(condition(invite(bob_, "inner", carol_)), ErrorCondition::forbidden);
  EXPECT_EQ(condition(invite(carol_, "inner", dave_)), ErrorCondition::item_not_found);

  auto pending = invitations(bob_, true);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0], received);
  Await<ErrorResult> seen;
  rooms().mark_invitations_seen(bob_, "", seen.callback());
  EXPECT_FALSE(seen.get());
  EXPECT_TRUE(invitations(bob_, true).empty());
  EXPECT_EQ(invitations(bob_, false).size(), 1u);

  // A vanished watcher is simply skipped.
  rooms().unwatch(bob_, bob_session.get());
  ASSERT_TRUE(create(alice_, "second").ok());
  EXPECT_FALSE(invite(alice_, "second", bob_));
  EXPECT_EQ(bob_session->of<api::InvitationReceived>().size(), 1u);
}

TEST_F(RoomsUserStateTest, CategoriesCanSwitchInvitationsOff) {
  model::Category quiet;
  quiet.name = "quiet";
  quiet.creators = {alice_};
  quiet.invitations_allowed = false;
  ASSERT_FALSE(put_category(quiet));
  api::RoomSettings settings;
  settings.id = "q";
  settings.name = "Q";
  settings.category = "quiet";
  Await<api::RoomsResult<std::shared_ptr<const model::Room>>> created;
  rooms().create_room(api::RoomActor{alice_}, settings, created.callback());
  ASSERT_TRUE(created.get().ok());
  EXPECT_EQ(condition(invite(alice_, "q", bob_)), ErrorCondition::not_allowed);
}

TEST_F(RoomsUserStateTest, FollowedRoomsCountUnreadUntilMarkedRead) {
  ASSERT_TRUE(create(alice_, "news").ok());
  ASSERT_TRUE(create(alice_, "club", model::RoomPrivacy::closed).ok());
  auto a = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("news", alice_, "Alice", a).ok());
  EXPECT_FALSE(follow(bob_, "news"));
  EXPECT_EQ(condition(follow(bob_, "club")), ErrorCondition::forbidden);  // members only
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) ids.push_back((*post("news", a.get(), "n"))->id);
  auto list = followed(bob_);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].room->id, "news");
  EXPECT_EQ(list[0].unread, 7u);
  EXPECT_FALSE(list[0].last_read_id.has_value());

  EXPECT_FALSE(mark_read(bob_, "news", ids[4]));
  EXPECT_FALSE(mark_read(bob_, "news", ids[1]));  // going back does not move the mark
  list = followed(bob_);
  EXPECT_EQ(list[0].unread, 2u);
  EXPECT_EQ(list[0].last_read_id, ids[4]);
  EXPECT_EQ(condition(mark_read(bob_, "news", "x")), ErrorCondition::item_not_found);
  EXPECT_EQ(condition(mark_read(bob_, "nowhere", ids[0])), ErrorCondition::item_not_found);

  Await<ErrorResult> unfollowed;
  rooms().unfollow(api::RoomActor{bob_}, "news", unfollowed.callback());
  EXPECT_FALSE(unfollowed.get());
  EXPECT_TRUE(followed(bob_).empty());
}

TEST_F(RoomsUserStateTest, EverythingSurvivesAStoreReopen) {
  ASSERT_TRUE(create(alice_, "keep", model::RoomPrivacy::closed).ok());
  ASSERT_FALSE(set_role(alice_, "keep", bob_, RoomRole::presenter));
  ASSERT_FALSE(set_role(alice_, "keep", carol_, RoomRole::member));
  auto a = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("keep", alice_, "Alice", a).ok());
  std::string last;
  for (int i = 0; i < 5; ++i) last = (*post("keep", a.get(), "persist " + std::to_string(i)))->id;
  EXPECT_FALSE(follow(bob_, "keep"));
  EXPECT_FALSE(invite(alice_, "keep", dave_));

  reopen();
  EXPECT_EQ(rooms().room_count(), 1u);
  auto b = std::make_shared<RecordingParticipant>();
  auto joined = join("keep", bob_, "Bob", b);  // still a member (presenter)
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->self.role, RoomRole::presenter);
  ASSERT_EQ(joined->history.size(), 5u);
  EXPECT_EQ(joined->history.back()->id, last);
  EXPECT_EQ(followed(bob_)[0].unread, 5u);
  EXPECT_EQ(invitations(dave_, true).size(), 1u);
  // New ids continue after the old ones.
  auto next = post("keep", b.get(), "after reopen");
  ASSERT_TRUE(next.ok());
  EXPECT_GT(*model::parse_room_message_id((*next)->id), *model::parse_room_message_id(last));
  Await<api::RoomsResult<std::vector<model::RoomMember>>> members;
  rooms().members(api::RoomActor{carol_}, "keep", members.callback());
  EXPECT_EQ(members.get()->size(), 4u);  // alice, bob, carol, and dave by invitation
}

}  // namespace
}  // namespace parley::core::rooms::testing
