// Room life cycle, settings, topic, roles, kicks and bans, discovery (XEP-0045 §8-§10).
#include <gtest/gtest.h>

#include "tests/unit/gateway/core/rooms/rooms_test_support.hpp"

namespace parley::core::rooms::testing {
namespace {

using model::ErrorCondition;
using model::RoomPrivacy;
using model::RoomRole;

class RoomsAdminTest : public RoomsTest {
 protected:
  void SetUp() override {
    RoomsTest::SetUp();
    general_category();
  }
  api::RoomsResult<std::shared_ptr<const model::Room>> modify(const model::Address& by,
                                                              const std::string& room,
                                                              api::RoomSettings changes) {
    Await<api::RoomsResult<std::shared_ptr<const model::Room>>> done;
    rooms().modify_room(api::RoomActor{by}, room, std::move(changes), done.callback());
    return done.get();
  }
  std::vector<std::string> search(const model::Address& by, std::string text) {
    Await<api::RoomsResult<std::vector<std::shared_ptr<const model::Room>>>> done;
    rooms().search_rooms(api::RoomActor{by}, api::RoomSearch{std::move(text)}, done.callback());
    auto result = done.get();
    std::vector<std::string> ids;
    if (result.ok()) {
      for (const auto& room : *result) ids.push_back(room->id);
    }
    return ids;
  }
  ErrorResult topic(const model::Address& by, const std::string& room, std::string text) {
    Await<ErrorResult> done;
    rooms().set_topic(api::RoomActor{by}, room, std::move(text), done.callback());
    return done.get();
  }
  api::RoomsResult<api::RoomInfo> info(const model::Address& by, const std::string& room) {
    Await<api::RoomsResult<api::RoomInfo>> done;
    rooms().room_info(api::RoomActor{by}, room, done.callback());
    return done.get();
  }
  std::shared_ptr<RecordingParticipant> a_ = std::make_shared<RecordingParticipant>();
  std::shared_ptr<RecordingParticipant> b_ = std::make_shared<RecordingParticipant>();
  std::shared_ptr<RecordingParticipant> c_ = std::make_shared<RecordingParticipant>();
};

TEST_F(RoomsAdminTest, CreateChecksCategoryCreatorsAndUniqueness) {
  api::RoomSettings settings;
  settings.name = "Team Alpha";
  settings.category = "general";
  Await<api::RoomsResult<std::shared_ptr<const model::Room>>> first;
  rooms().create_room(api::RoomActor{alice_}, settings, first.callback());
  auto created = first.get();
  ASSERT_TRUE(created.ok());
  EXPECT_EQ((*created)->id, "team-alpha");  // derived from the name
  EXPECT_EQ((*created)->created, clock_.now());

  settings.name = "team alpha";  // names are unique case-insensitively
  Await<api::RoomsResult<std::shared_ptr<const model::Room>>> dup;
  rooms().create_room(api::RoomActor{bob_}, settings, dup.callback());
  EXPECT_EQ(condition(dup.get()), ErrorCondition::conflict);

  EXPECT_EQ(condition(create(alice_, "team-alpha")), ErrorCondition::conflict);  // id taken
  EXPECT_EQ(condition(create(alice_, "Bad Id")), ErrorCondition::not_acceptable);

  model::Category restricted;
  restricted.name = "board";
  restricted.creators = {carol_};
  ASSERT_FALSE(put_category(restricted));
  settings.name = "Board room";
  settings.category = "board";
  Await<api::RoomsResult<std::shared_ptr<const model::Room>>> denied;
  rooms().create_room(api::RoomActor{alice_}, settings, denied.callback());
  EXPECT_EQ(condition(denied.get()), ErrorCondition::forbidden);
  Await<api::RoomsResult<std::shared_ptr<const model::Room>>> allowed;
  rooms().create_room(api::RoomActor{carol_}, settings, allowed.callback());
  EXPECT_TRUE(allowed.get().ok());

  settings.category = "nope";
  settings.name = "X";
  Await<api::RoomsResult<std::shared_ptr<const model::Room>>> no_category;
  rooms().create_room(api::RoomActor{alice_}, settings, no_category.callback());
  EXPECT_EQ(condition(no_category.get()), ErrorCondition::item_not_found);
  EXPECT_EQ(rooms().room_count(), 2u);
}

TEST_F(RoomsAdminTest, ConcurrentCreatesOfOneNameHaveOneWinner) {
  std::vector<Await<api::RoomsResult<std::shared_ptr<const model::Room>>>> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      api::RoomSettings settings;
      settings.name = "Contested";
      settings.category = "general";
      rooms().create_room(api::RoomActor{alice_}, settings, results[i].callback());
    });
  }
  for (auto& t : threads) t.join();
  int winners = 0;
  for (auto& r : results) winners += r.get().ok() ? 1 : 0;
  EXPECT_EQ(winners, 1);
}

TEST_F(RoomsAdminTest, ModifyAnnouncesAndTighteningPrivacyRemovesGuests) {
  ASSERT_TRUE(create(alice_, "plaza").ok());
  ASSERT_FALSE(set_role(alice_, "plaza", bob_, RoomRole::member));
  ASSERT_TRUE(join("plaza", alice_, "Alice", a_).ok());
  ASSERT_TRUE(join("plaza", bob_, "Bob", b_).ok());
  ASSERT_TRUE(join("plaza", carol_, "Carol", c_).ok());  // a guest

  api::RoomSettings not_yours;
  not_yours.description = "mine now";
  EXPECT_EQ(condition(modify(bob_, "plaza", not_yours)), ErrorCondition::forbidden);

  ASSERT_TRUE(create(alice_, "other").ok());
  api::RoomSettings rename;
  rename.name = "ROOM OTHER";
  EXPECT_EQ(condition(modify(alice_, "plaza", rename)), ErrorCondition::conflict);

  api::RoomSettings changes;
  changes.name = "Members Plaza";
  changes.privacy = RoomPrivacy::closed;
  changes.keywords = std::vector<std::string>{"vip"};
  auto modified = modify(alice_, "plaza", changes);
  ASSERT_TRUE(modified.ok());
  EXPECT_EQ((*modified)->name, "Members Plaza");
  ASSERT_TRUE(b_->wait_for<api::RoomChanged>(1));
  EXPECT_EQ(b_->of<api::RoomChanged>()[0].room->privacy, RoomPrivacy::closed);
  // Carol, without a role, is removed (XEP-0045 §9.5 status 322); Bob stays.
  ASSERT_TRUE(c_->wait_for<api::ParticipantRemoved>(1));
  EXPECT_EQ(c_->of<api::ParticipantRemoved>()[0].cause, api::RemovalCause::access_revoked);
  ASSERT_TRUE(b_->wait_for<api::ParticipantRemoved>(1));
  EXPECT_EQ(b_->of<api::ParticipantRemoved>()[0].occupant.nickname, "Carol");
  EXPECT_EQ(info(alice_, "plaza")->occupants, 2u);
  // The old name is free again; the new one is taken.
  api::RoomSettings take_old;
  take_old.name = "Room plaza";
  EXPECT_TRUE(modify(alice_, "other", take_old).ok());
  take_old.name = "members plaza";
  EXPECT_EQ(condition(modify(alice_, "other", take_old)), ErrorCondition::conflict);
}

TEST_F(RoomsAdminTest, TopicByManagersAndPresentersIsAnnouncedAndKept) {
  ASSERT_TRUE(create(alice_, "t").ok());
  ASSERT_FALSE(set_role(alice_, "t", bob_, RoomRole::presenter));
  ASSERT_FALSE(set_role(alice_, "t", carol_, RoomRole::member));
  ASSERT_TRUE(join("t", bob_, "Bob", b_).ok());
  EXPECT_EQ(condition(topic(carol_, "t", "mine")), ErrorCondition::forbidden);
  EXPECT_FALSE(topic(bob_, "t", "Release 2.0"));
  ASSERT_TRUE(b_->wait_for<api::TopicChanged>(1));
  const auto changed = b_->of<api::TopicChanged>()[0];
  EXPECT_EQ(changed.topic, "Release 2.0");
  EXPECT_EQ(changed.by_nickname, "Bob");
  EXPECT_EQ(info(carol_, "t")->room->topic, "Release 2.0");
  reopen();
  EXPECT_EQ(info(carol_, "t")->room->topic, "Release 2.0");
}

TEST_F(RoomsAdminTest, DeleteTellsEveryoneAndForgetsTheRoom) {
  ASSERT_TRUE(create(alice_, "doomed").ok());
  ASSERT_TRUE(join("doomed", bob_, "Bob", b_).ok());
  Await<ErrorResult> denied;
  rooms().delete_room(api::RoomActor{bob_}, "doomed", "", denied.callback());
  EXPECT_EQ(condition(denied.get()), ErrorCondition::forbidden);
  Await<ErrorResult> deleted;
  rooms().delete_room(api::RoomActor{alice_}, "doomed", "project over", deleted.callback());
  EXPECT_FALSE(deleted.get());
  ASSERT_TRUE(b_->wait_for<api::RoomDeleted>(1));
  EXPECT_EQ(b_->of<api::RoomDeleted>()[0].reason, "project over");
  EXPECT_EQ(condition(join("doomed", carol_, "C", c_)), ErrorCondition::item_not_found);
  EXPECT_EQ(condition(post("doomed", b_.get(), "anyone?")), ErrorCondition::item_not_found);
  EXPECT_EQ(rooms().room_count(), 0u);
  reopen();
  EXPECT_EQ(rooms().room_count(), 0u);
  EXPECT_TRUE(create(alice_, "doomed").ok());  // the id and name are free again
}

TEST_F(RoomsAdminTest, KickRemovesEverySessionOfTheNickname) {
  ASSERT_TRUE(create(alice_, "k").ok());
  ASSERT_TRUE(join("k", alice_, "Alice", a_).ok());
  ASSERT_TRUE(join("k", bob_, "Bob", b_).ok());
  auto bob_phone = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("k", bob_, "Bob", bob_phone).ok());
  Await<ErrorResult> not_manager;
  rooms().kick(api::RoomActor{bob_}, "k", "Alice", "", not_manager.callback());
  EXPECT_EQ(condition(not_manager.get()), ErrorCondition::forbidden);
  Await<ErrorResult> kicked;
  rooms().kick(api::RoomActor{alice_}, "k", "Bob", "spam", kicked.callback());
  EXPECT_FALSE(kicked.get());
  for (const auto& p : {a_, b_, bob_phone}) {
    ASSERT_TRUE(p->wait_for<api::ParticipantRemoved>(1));
    const auto removed = p->of<api::ParticipantRemoved>()[0];
    EXPECT_EQ(removed.cause, api::RemovalCause::kicked);
    EXPECT_EQ(removed.reason, "spam");
    EXPECT_EQ(removed.by, alice_);
  }
  EXPECT_EQ(condition(post("k", b_.get(), "still here?")), ErrorCondition::not_acceptable);
  Await<ErrorResult> missing;
  rooms().kick(api::RoomActor{alice_}, "k", "Nobody", "", missing.callback());
  EXPECT_EQ(condition(missing.get()), ErrorCondition::item_not_found);
  // A kicked user may come back (a kick is not a ban).
  EXPECT_TRUE(join("k", bob_, "Bob", b_).ok());
}

TEST_F(RoomsAdminTest, BanRemovesAndKeepsOut) {
  ASSERT_TRUE(create(alice_, "b").ok());
  ASSERT_FALSE(set_role(alice_, "b", bob_, RoomRole::member));
  ASSERT_TRUE(join("b", bob_, "Bob", b_).ok());
  Await<ErrorResult> banned;
  rooms().ban(api::RoomActor{alice_}, "b", bob_, "rude", banned.callback());
  EXPECT_FALSE(banned.get());
  ASSERT_TRUE(b_->wait_for<api::ParticipantRemoved>(1));
  EXPECT_EQ(b_->of<api::ParticipantRemoved>()[0].cause, api::RemovalCause::banned);
  auto b2 = std::make_shared<RecordingParticipant>();
  EXPECT_EQ(condition(join("b", bob_, "Bob", b2)), ErrorCondition::forbidden);
  Await<api::RoomsResult<std::vector<model::RoomMember>>> members;
  rooms().members(api::RoomActor{alice_}, "b", members.callback());
  EXPECT_EQ(members.get()->size(), 1u);  // the ban dropped Bob's membership
  reopen();
  EXPECT_EQ(condition(join("b", bob_, "Bob", b2)), ErrorCondition::forbidden);
  Await<ErrorResult> unbanned;
  rooms().unban(api::RoomActor{alice_}, "b", bob_, unbanned.callback());
  EXPECT_FALSE(unbanned.get());
  EXPECT_TRUE(join("b", bob_, "Bob", b2).ok());
}

TEST_F(RoomsAdminTest, RolesAnnounceRevokeAndKeepOneManager) {
  ASSERT_TRUE(create(alice_, "r", RoomPrivacy::closed).ok());
  ASSERT_FALSE(set_role(alice_, "r", bob_, RoomRole::member));
  ASSERT_TRUE(join("r", alice_, "Alice", a_).ok());
  ASSERT_TRUE(join("r", bob_, "Bob", b_).ok());
  ASSERT_FALSE(set_role(alice_, "r", bob_, RoomRole::presenter));
  ASSERT_TRUE(a_->wait_for<api::ParticipantRoleChanged>(1));
  EXPECT_EQ(a_->of<api::ParticipantRoleChanged>()[0].nickname, "Bob");
  EXPECT_EQ(a_->of<api::ParticipantRoleChanged>()[0].role, RoomRole::presenter);
  EXPECT_EQ(condition(set_role(bob_, "r", carol_, RoomRole::member)), ErrorCondition::forbidden);
  EXPECT_EQ(condition(set_role(alice_, "r", alice_, RoomRole::member)), ErrorCondition::conflict);
  EXPECT_EQ(condition(set_role(alice_, "r", addr("ghost@example.com"), RoomRole::member)),
            ErrorCondition::item_not_found);  // not an account
  // Membership revoked in a closed room: Bob is removed.
  ASSERT_FALSE(set_role(alice_, "r", bob_, RoomRole::none));
  ASSERT_TRUE(b_->wait_for<api::ParticipantRemoved>(1));
  EXPECT_EQ(b_->of<api::ParticipantRemoved>()[0].cause, api::RemovalCause::access_revoked);
  // Two managers: one may step down.
  ASSERT_FALSE(set_role(alice_, "r", carol_, RoomRole::manager));
  EXPECT_FALSE(set_role(alice_, "r", alice_, RoomRole::member));
  Await<std::vector<api::Association>> assoc;
  rooms().associations(carol_, assoc.callback());
  auto list = assoc.get();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].room->id, "r");
  EXPECT_EQ(list[0].role, RoomRole::manager);
}

TEST_F(RoomsAdminTest, SecretRoomsAreInvisibleToOutsiders) {
  ASSERT_TRUE(create(alice_, "open-talk").ok());
  ASSERT_TRUE(create(alice_, "closed-talk", RoomPrivacy::closed).ok());
  ASSERT_TRUE(create(alice_, "secret-talk", RoomPrivacy::secret).ok());
  EXPECT_EQ(search(bob_, "talk"), (std::vector<std::string>{"closed-talk", "open-talk"}));
  EXPECT_EQ(search(alice_, "talk").size(), 3u);
  EXPECT_EQ(condition(info(bob_, "secret-talk")), ErrorCondition::item_not_found);
  EXPECT_TRUE(info(bob_, "closed-talk").ok());
  ASSERT_FALSE(set_role(alice_, "secret-talk", bob_, RoomRole::member));
  EXPECT_EQ(search(bob_, "secret"), (std::vector<std::string>{"secret-talk"}));
  auto seen = info(bob_, "secret-talk");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->your_role, RoomRole::member);
  // Administrators see everything.
  Await<api::RoomsResult<std::vector<std::shared_ptr<const model::Room>>>> admin;
  rooms().search_rooms(api::RoomActor{{}, true}, api::RoomSearch{}, admin.callback());
  EXPECT_EQ(admin.get()->size(), 3u);
}

TEST_F(RoomsAdminTest, CategoriesInUseStay) {
  ASSERT_TRUE(create(alice_, "x").ok());
  Await<ErrorResult> in_use;
  rooms().remove_category("general", in_use.callback());
  EXPECT_EQ(condition(in_use.get()), ErrorCondition::not_allowed);
  Await<ErrorResult> unknown;
  rooms().remove_category("nope", unknown.callback());
  EXPECT_EQ(condition(unknown.get()), ErrorCondition::item_not_found);
  Await<std::vector<model::Category>> list;
  rooms().categories(list.callback());
  EXPECT_EQ(list.get().size(), 1u);
}

}  // namespace
}  // namespace parley::core::rooms::testing
