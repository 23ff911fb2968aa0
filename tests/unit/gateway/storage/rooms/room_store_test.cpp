// SqliteRoomStore: categories, rooms, roles, bans, invitations, followed rooms, read marks.
#include <gtest/gtest.h>

#include "gateway/storage/message_json.hpp"
#include "gateway/storage/rooms/room_store.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using testing::addr;

class RoomStoreTest : public testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = std::make_unique<SqliteRoomStore>(db().sql());
    model::Category general;
    general.name = "general";
    store_->put_category(general);
  }
  void reopen_store() {
    store_.reset();
    reopen();
    store_ = std::make_unique<SqliteRoomStore>(db().sql());
  }
  static model::Room room(std::string id, std::string name,
                          model::RoomPrivacy privacy = model::RoomPrivacy::open) {
    model::Room r;
    r.id = std::move(id);
    r.name = std::move(name);
    r.category = "general";
    r.privacy = privacy;
    r.created = from_unix_micros(1'700'000'000'000'000);
    return r;
  }
  model::RoomMessage message(std::int64_t seq, const std::string& room, std::string body) {
    model::RoomMessage m;
    m.id = model::room_message_id(seq);
    m.room = room;
    m.from_user = alice_;
    m.nickname = "Alice";
    m.body = std::move(body);
    m.stamp = from_unix_micros(1'700'000'000'000'000 + seq * 1'000'000);
    return m;
  }

  std::unique_ptr<SqliteRoomStore> store_;
};

TEST_F(RoomStoreTest, CategoriesRoundTripWithCreatorsAndRetention) {
  model::Category c;
  c.name = "engineering";
  c.description = "builds things";
  c.creators = {alice_, addr("example.com")};
  c.invitations_allowed = false;
  c.file_posts_allowed = false;
  c.retention = std::chrono::hours(24 * 30);
  store_->put_category(c);
  auto all = store_->categories();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], c);  // sorted by name: "engineering" < "general"

  c.creators = {bob_};
  c.description = "changed";
  store_->put_category(c);  // upsert replaces the creators
  EXPECT_EQ(store_->categories()[0], c);
}

TEST_F(RoomStoreTest, CategoryInUseIsNotRemoved) {
  ASSERT_TRUE(store_->create_room(room("a", "A"), alice_));
  EXPECT_FALSE(store_->remove_category("general"));
  EXPECT_FALSE(store_->remove_category("nope"));
  ASSERT_TRUE(store_->remove_room("a"));
  EXPECT_TRUE(store_->remove_category("general"));
  EXPECT_TRUE(store_->categories().empty());
}

TEST_F(RoomStoreTest, CreateRefusesTakenIdsAndNamesCaseInsensitively) {
  auto r = room("lobby", "Lobby");
  r.keywords = {"chat", "general"};
  r.topic = "hello";
  ASSERT_TRUE(store_->create_room(r, alice_));
  EXPECT_FALSE(store_->create_room(room("lobby", "Other"), alice_));
  EXPECT_FALSE(store_->create_room(room("other", "LOBBY"), alice_));
  auto rooms = store_->rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0], r);
  // The creator is the manager.
  auto members = store_->members("lobby");
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0], (model::RoomMember{alice_, model::RoomRole::manager}));
}

TEST_F(RoomStoreTest, UpdateKeepsNamesUnique) {
  ASSERT_TRUE(store_->create_room(room("a", "A"), alice_));
  ASSERT_TRUE(store_->create_room(room("b", "B"), alice_));
  auto b = room("b", "a");  // A's name in another case
  EXPECT_FALSE(store_->update_room(b));
  b.name = "Bee";
  b.type = model::RoomType::auditorium;
  EXPECT_TRUE(store_->update_room(b));
  EXPECT_EQ(store_->rooms()[1], b);
  EXPECT_FALSE(store_->update_room(room("zzz", "Zed")));
}

TEST_F(RoomStoreTest, RolesAssociationsAndBans) {
  ASSERT_TRUE(store_->create_room(room("a", "A"), alice_));
  ASSERT_TRUE(store_->create_room(room("b", "B"), carol_));
  store_->set_role("a", {bob_, model::RoomRole::presenter});
  store_->set_role("b", {bob_, model::RoomRole::member});
  store_->set_role("b", {bob_, model::RoomRole::manager});  // upsert
  auto assoc = store_->associations(bob_);
  ASSERT_EQ(assoc.size(), 2u);
  EXPECT_EQ(assoc[0].room, "a");
  EXPECT_EQ(assoc[0].role, model::RoomRole::presenter);
  EXPECT_EQ(assoc[1].role, model::RoomRole::manager);
  store_->set_role("a", {bob_, model::RoomRole::none});
  EXPECT_EQ(store_->associations(bob_).size(), 1u);

  // Roles need an account (foreign key); bans do not.
  EXPECT_THROW(store_->set_role("a", {addr("ghost@example.com"), model::RoomRole::member}),
               std::exception);
  store_->set_banned("a", addr("ghost@example.com"), true);
  store_->set_banned("a", bob_, true);
  store_->set_banned("a", bob_, true);  // idempotent
  EXPECT_EQ(store_->bans("a"), (std::vector<model::Address>{bob_, addr("ghost@example.com")}));
  store_->set_banned("a", bob_, false);
  EXPECT_EQ(store_->bans("a").size(), 1u);
}

TEST_F(RoomStoreTest, RoomSearchHidesSecretRoomsFromNonMembers) {
  auto open = room("open", "Open Plaza");
  open.keywords = {"welcome"};
  ASSERT_TRUE(store_->create_room(open, alice_));
  auto secret = room("secret", "Secret Plaza", model::RoomPrivacy::secret);
  ASSERT_TRUE(store_->create_room(secret, alice_));
  auto closed = room("closed", "Closed Hall", model::RoomPrivacy::closed);
  closed.description = "the plaza annex";
  ASSERT_TRUE(store_->create_room(closed, alice_));

  auto names = [](const std::vector<model::Room>& rooms) {
    std::vector<std::string> out;
    for (const auto& r : rooms) out.push_back(r.id);
    return out;
  };
  api::RoomSearchQuery q;
  q.text = "plaza";
  q.viewer = bob_;
  EXPECT_EQ(names(store_->search_rooms(q)), (std::vector<std::string>{"closed", "open"}));
  q.viewer = alice_;  // manager of the secret room
  EXPECT_EQ(names(store_->search_rooms(q)), (std::vector<std::string>{"closed", "open", "secret"}));
  q.viewer = bob_;
  q.all_rooms = true;
  EXPECT_EQ(store_->search_rooms(q).size(), 3u);

  q.all_rooms = false;
  q.text = "WELCOME";  // keyword, case-insensitive
  EXPECT_EQ(names(store_->search_rooms(q)), (std::vector<std::string>{"open"}));
  q.text = "%";  // LIKE wildcards are literal
  EXPECT_TRUE(store_->search_rooms(q).empty());
  q.text = "";
  EXPECT_EQ(store_->search_rooms(q).size(), 2u);
  q.limit = 1;
  EXPECT_EQ(store_->search_rooms(q).size(), 1u);
}

TEST_F(RoomStoreTest, InvitationsReplaceAndMarkSeen) {
  ASSERT_TRUE(store_->create_room(room("a", "A"), alice_));
  ASSERT_TRUE(store_->create_room(room("b", "B"), alice_));
  model::Invitation inv{"a", alice_, bob_, "join us", from_unix_micros(10), false};
  store_->put_invitation(inv);
  store_->put_invitation({"b", alice_, bob_, "", from_unix_micros(20), false});
  EXPECT_EQ(store_->invitations(bob_, true).size(), 2u);
  EXPECT_EQ(store_->invitations(bob_, true)[0], inv);
  EXPECT_EQ(store_->mark_invitations_seen(bob_, "a"), 1u);
  EXPECT_EQ(store_->invitations(bob_, true).size(), 1u);
  EXPECT_EQ(store_->invitations(bob_, false).size(), 2u);
  // A new invitation to the same room replaces the old one and is unseen again.
  inv.reason = "again";
  inv.stamp = from_unix_micros(30);
  store_->put_invitation(inv);
  EXPECT_EQ(store_->invitations(bob_, true).size(), 2u);
  EXPECT_EQ(store_->mark_invitations_seen(bob_, ""), 2u);
  EXPECT_TRUE(store_->invitations(bob_, true).empty());
  EXPECT_TRUE(store_->invitations(carol_, false).empty());
}

TEST_F(RoomStoreTest, FollowedRoomsCountUnreadFromTheReadMark) {
  ASSERT_TRUE(store_->create_room(room("a", "A"), alice_));
  ASSERT_TRUE(store_->create_room(room("b", "B"), alice_));
  for (std::int64_t i = 1; i <= 10; ++i) store_->append(message(i, i % 2 ? "a" : "b", "m"));
  EXPECT_TRUE(store_->follow(bob_, "a"));
  EXPECT_FALSE(store_->follow(bob_, "a"));
  EXPECT_TRUE(store_->follow(bob_, "b"));
  auto rows = store_->followed(bob_);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].room, "a");
  EXPECT_EQ(rows[0].unread, 5u);
  EXPECT_FALSE(rows[0].last_read.has_value());
  store_->mark_read(bob_, "a", 5);  // a holds 1,3,5,7,9
  store_->mark_read(bob_, "a", 3);  // older: ignored
  rows = store_->followed(bob_);
  EXPECT_EQ(rows[0].last_read, 5);
  EXPECT_EQ(rows[0].unread, 2u);
  EXPECT_EQ(rows[1].unread, 5u);
  EXPECT_TRUE(store_->unfollow(bob_, "b"));
  EXPECT_FALSE(store_->unfollow(bob_, "b"));
  EXPECT_EQ(store_->followed(bob_).size(), 1u);
}

TEST_F(RoomStoreTest, RemovingARoomRemovesEverythingOfIt) {
  ASSERT_TRUE(store_->create_room(room("a", "A"), alice_));
  store_->append(message(1, "a", "hello world"));
  store_->follow(bob_, "a");
  store_->mark_read(bob_, "a", 1);
  store_->put_invitation({"a", alice_, bob_, "", from_unix_micros(1), false});
  store_->set_banned("a", carol_, true);
  ASSERT_TRUE(store_->remove_room("a"));
  EXPECT_FALSE(store_->remove_room("a"));
  EXPECT_TRUE(store_->followed(bob_).empty());
  EXPECT_TRUE(store_->invitations(bob_, false).empty());
  EXPECT_TRUE(store_->members("a").empty());
  api::MessageSearchQuery q;
  q.terms = {"hello"};
  q.all_rooms = true;
  EXPECT_TRUE(store_->search(q).empty());
  // The FTS index followed the cascade (an external-content index would otherwise keep the
  // term and fail its integrity check).
  EXPECT_NO_THROW(db().sql().exec(
      "INSERT INTO room_messages_fts(room_messages_fts, rank) VALUES('integrity-check', 1)"));
  EXPECT_EQ(store_->last_sequence(), 1);  // the id is never handed out again
}

TEST_F(RoomStoreTest, EverythingSurvivesAReopen) {
  ASSERT_TRUE(store_->create_room(room("a", "A", model::RoomPrivacy::closed), alice_));
  store_->set_role("a", {bob_, model::RoomRole::member});
  store_->append(message(7, "a", "persisted"));
  store_->follow(bob_, "a");
  reopen_store();
  ASSERT_EQ(store_->rooms().size(), 1u);
  EXPECT_EQ(store_->rooms()[0].privacy, model::RoomPrivacy::closed);
  EXPECT_EQ(store_->members("a").size(), 2u);
  EXPECT_EQ(store_->last_sequence(), 7);
  EXPECT_EQ(store_->last_sequence_of("a"), 7);
  EXPECT_EQ(store_->followed(bob_)[0].unread, 1u);
}

}  // namespace
}  // namespace parley::storage
