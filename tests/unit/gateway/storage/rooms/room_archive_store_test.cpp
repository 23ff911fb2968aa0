// SqliteRoomStore archive: paging by id and time across hundreds of messages, FTS5 search,
// retention and the never-reused sequence.
#include <gtest/gtest.h>

#include "gateway/storage/message_json.hpp"
#include "gateway/storage/rooms/room_codec.hpp"
#include "gateway/storage/rooms/room_store.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

constexpr std::int64_t kEpochUs = 1'700'000'000'000'000;

class RoomArchiveStoreTest : public testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = std::make_unique<SqliteRoomStore>(db().sql());
    model::Category general;
    general.name = "general";
    store_->put_category(general);
    for (const char* id : {"a", "b"}) {
      model::Room r;
      r.id = id;
      r.name = id;
      r.category = "general";
      ASSERT_TRUE(store_->create_room(r, alice_));
    }
  }
  // Messages 1..n alternate between rooms a (odd) and b (even); message i is stamped i seconds
  // after kEpochUs.
  void fill(std::int64_t n) {
    for (std::int64_t i = 1; i <= n; ++i) {
      model::RoomMessage m;
      m.id = model::room_message_id(i);
      m.room = i % 2 ? "a" : "b";
      m.from_user = i % 3 ? alice_ : bob_;
      m.nickname = "n" + std::to_string(i);
      m.origin_id = "o" + std::to_string(i);
      m.body = "message number " + std::to_string(i) + (i % 10 == 0 ? " deploy done" : "");
      m.stamp = from_unix_micros(kEpochUs + i * 1'000'000);
      if (i == 1) m.extensions = {{model::Protocol::xmpp, "urn:x", "x", "<x xmlns='urn:x'/>"}};
      store_->append(m);
    }
  }
  static std::vector<std::int64_t> ids(const std::vector<model::RoomMessage>& messages) {
    std::vector<std::int64_t> out;
    for (const auto& m : messages) out.push_back(*model::parse_room_message_id(m.id));
    return out;
  }
  static model::Timestamp at(std::int64_t second) {
    return from_unix_micros(kEpochUs + second * 1'000'000);
  }

  std::unique_ptr<SqliteRoomStore> store_;
};

TEST_F(RoomArchiveStoreTest, MessagesRoundTrip) {
  fill(1);
  api::HistoryRange range;
  range.room = "a";
  auto slice = store_->history(range);
  ASSERT_EQ(slice.messages.size(), 1u);
  const auto& m = slice.messages[0];
  EXPECT_EQ(m.id, "1");
  EXPECT_EQ(m.from_user, alice_);
  EXPECT_EQ(m.nickname, "n1");
  EXPECT_EQ(m.origin_id, "o1");
  EXPECT_EQ(m.stamp, at(1));
  ASSERT_EQ(m.extensions.size(), 1u);
  EXPECT_EQ(m.extensions[0].data, "<x xmlns='urn:x'/>");
  EXPECT_TRUE(slice.complete);
}

TEST_F(RoomArchiveStoreTest, PagesForwardByIdThroughHundredsOfMessages) {
  fill(600);  // 300 in room a: 1, 3, ..., 599
  api::HistoryRange range;
  range.room = "a";
  range.limit = 70;
  std::vector<std::int64_t> seen;
  for (int pages = 0; pages < 10; ++pages) {
    auto slice = store_->history(range);
    auto page = ids(slice.messages);
    seen.insert(seen.end(), page.begin(), page.end());
    if (slice.complete) break;
    range.after = page.back();
  }
  ASSERT_EQ(seen.size(), 300u);
  for (std::size_t i = 0; i < seen.size(); ++i)
    EXPECT_EQ(seen[i], static_cast<std::int64_t>(2 * i + 1));
}

TEST_F(RoomArchiveStoreTest, PagesBackwardFromTheNewest) {
  fill(600);
  api::HistoryRange range;
  range.room = "b";
  range.limit = 3;
  range.order = model::HistoryOrder::newest_first;
  auto slice = store_->history(range);
  EXPECT_EQ(ids(slice.messages), (std::vector<std::int64_t>{596, 598, 600}));  // oldest first
  EXPECT_FALSE(slice.complete);
  range.before = 596;
  EXPECT_EQ(ids(store_->history(range).messages), (std::vector<std::int64_t>{590, 592, 594}));
  range.before = 6;
  slice = store_->history(range);
  EXPECT_EQ(ids(slice.messages), (std::vector<std::int64_t>{2, 4}));
  EXPECT_TRUE(slice.complete);
}

TEST_F(RoomArchiveStoreTest, FiltersByTimeAndCombinesWithIds) {
  fill(600);
  api::HistoryRange range;
  range.room = "a";
  range.since = at(101);
  range.until = at(111);
  range.limit = 100;
  EXPECT_EQ(ids(store_->history(range).messages),
            (std::vector<std::int64_t>{101, 103, 105, 107, 109, 111}));
  range.after = 105;
  EXPECT_EQ(ids(store_->history(range).messages), (std::vector<std::int64_t>{107, 109, 111}));
  range.after.reset();
  range.before = 105;
  range.order = model::HistoryOrder::newest_first;
  range.limit = 1;
  auto slice = store_->history(range);
  EXPECT_EQ(ids(slice.messages), (std::vector<std::int64_t>{103}));
  EXPECT_FALSE(slice.complete);
}

TEST_F(RoomArchiveStoreTest, ExactPageSizeIsComplete) {
  fill(6);  // a: 1, 3, 5
  api::HistoryRange range;
  range.room = "a";
  range.limit = 3;
  EXPECT_TRUE(store_->history(range).complete);
  range.limit = 2;
  EXPECT_FALSE(store_->history(range).complete);
  EXPECT_TRUE(store_->has_message("a", 3));
  EXPECT_FALSE(store_->has_message("b", 3));
}

TEST_F(RoomArchiveStoreTest, FullTextSearchMatchesAllWordsNewestFirst) {
  fill(100);
  api::MessageSearchQuery q;
  q.terms = {"deploy done"};
  q.all_rooms = true;
  auto found = ids(store_->search(q));
  EXPECT_EQ(found, (std::vector<std::int64_t>{100, 90, 80, 70, 60, 50, 40, 30, 20, 10}));
  q.terms = {"DEPLOY nothing"};  // every word must match
  EXPECT_TRUE(store_->search(q).empty());
  q.terms = {"deploy"};
  q.before = 50;
  q.limit = 2;
  EXPECT_EQ(ids(store_->search(q)), (std::vector<std::int64_t>{40, 30}));
  // FTS syntax in user input is quoted, not interpreted.
  q.terms = {"deploy\" OR \"message"};
  EXPECT_NO_THROW(store_->search(q));
  q.terms = {"NEAR(deploy done) *"};
  EXPECT_NO_THROW(store_->search(q));
}

TEST_F(RoomArchiveStoreTest, SearchRespectsRoomPrivacyAndBans) {
  fill(20);  // "deploy" at 10 (room b) and 20 (room b)
  model::Room b = store_->rooms()[1];
  b.privacy = model::RoomPrivacy::closed;
  ASSERT_TRUE(store_->update_room(b));
  api::MessageSearchQuery q;
  q.terms = {"deploy"};
  q.reader = carol_;  // no role in b
  EXPECT_TRUE(store_->search(q).empty());
  q.reader = alice_;  // manager of b
  EXPECT_EQ(store_->search(q).size(), 2u);
  q.room = "a";
  EXPECT_TRUE(store_->search(q).empty());

  b.privacy = model::RoomPrivacy::open;
  ASSERT_TRUE(store_->update_room(b));
  q.room.reset();
  q.reader = carol_;
  EXPECT_EQ(store_->search(q).size(), 2u);
  store_->set_banned("b", carol_, true);
  EXPECT_TRUE(store_->search(q).empty());
}

TEST_F(RoomArchiveStoreTest, RetentionPurgesPerCategory) {
  fill(10);
  model::Category shortlived;
  shortlived.name = "short";
  shortlived.retention = std::chrono::seconds(5);
  store_->put_category(shortlived);
  model::Room b = store_->rooms()[1];
  b.category = "short";
  ASSERT_TRUE(store_->update_room(b));
  // Now = second 10: room b (2, 4, 6, 8, 10) keeps messages newer than second 5.
  EXPECT_EQ(store_->purge_expired(at(10)), 2u);
  api::HistoryRange range;
  range.room = "b";
  EXPECT_EQ(ids(store_->history(range).messages), (std::vector<std::int64_t>{6, 8, 10}));
  range.room = "a";
  EXPECT_EQ(store_->history(range).messages.size(), 5u);  // retention 0: forever
  EXPECT_EQ(store_->purge_expired(at(10)), 0u);
  EXPECT_EQ(store_->last_sequence(), 10);
}

TEST_F(RoomArchiveStoreTest, SequenceHighWaterSurvivesPurgingTheNewest) {
  fill(4);
  db().sql().exec("DELETE FROM room_messages");
  EXPECT_EQ(store_->last_sequence(), 4);
  EXPECT_FALSE(store_->last_sequence_of("a").has_value());
}

TEST(RoomCodec, FtsQueryQuotesEveryWord) {
  EXPECT_EQ(fts_query({"hello  world"}), "\"hello\" \"world\"");
  EXPECT_EQ(fts_query({"say \"hi\""}), "\"say\" \"\"\"hi\"\"\"");
  EXPECT_EQ(fts_query({"   "}), "");
  EXPECT_EQ(like_substring("50%_\\"), "%50\\%\\_\\\\%");
}

TEST(RoomCodec, RejectsUnreadableColumns) {
  EXPECT_THROW(keywords_from_json("{}"), std::runtime_error);
  EXPECT_THROW(keywords_from_json("not json"), std::runtime_error);
  EXPECT_THROW(extensions_from_json(R"([{"origin":"carrier-pigeon"}])"), std::runtime_error);
  EXPECT_THROW(room_role_column("king"), std::runtime_error);
  EXPECT_EQ(keywords_from_json(keywords_to_json({"a", "b\"c"})),
            (std::vector<std::string>{"a", "b\"c"}));
}

}  // namespace
}  // namespace parley::storage
