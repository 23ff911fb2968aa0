// RoomMessageIndex (schema v6): room messages reach the FTS5 index in bulk, before the batch
// commits, whatever order their ids arrive in; queued rows that are deleted or edited leave the
// index consistent; searches see rows still queued.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "gateway/storage/message_json.hpp"
#include "gateway/storage/migrations.hpp"
#include "gateway/storage/rooms/room_store.hpp"
#include "gateway/storage/store_executor.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

class RoomMessageIndexTest : public testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = make_store();
    model::Category general;
    general.name = "general";
    store_->put_category(general);
    model::Room room;
    room.id = "a";
    room.name = "A";
    room.category = "general";
    ASSERT_TRUE(store_->create_room(room, alice_));
  }
  std::unique_ptr<SqliteRoomStore> make_store() {
    return std::make_unique<SqliteRoomStore>(db().sql(), &db().statements(), &db().room_index());
  }
  static model::RoomMessage message(std::int64_t seq, std::string body) {
    model::RoomMessage m;
    m.id = model::room_message_id(seq);
    m.room = "a";
    m.from_user = testing::addr("alice@example.com");
    m.nickname = "alice";
    m.body = std::move(body);
    m.stamp = from_unix_micros(1'700'000'000'000'000 + seq);
    return m;
  }
  // Rows the FTS index itself finds (no flush first, unlike SqliteRoomStore::search).
  int indexed(const std::string& word) {
    SQLite::Statement q(db().sql(),
                        "SELECT count(*) FROM room_messages_fts WHERE room_messages_fts MATCH ?1");
    q.bind(1, word);
    q.executeStep();
    return q.getColumn(0).getInt();
  }
  int queued() { return db().sql().execAndGet("SELECT count(*) FROM room_messages_fts_pending"); }
  void expect_index_consistent() {
    EXPECT_NO_THROW(db().sql().exec(
        "INSERT INTO room_messages_fts(room_messages_fts, rank) VALUES('integrity-check', 1)"));
  }
  std::size_t searched(const std::string& word) {
    api::MessageSearchQuery q;
    q.terms = {word};
    q.room = "a";
    q.all_rooms = true;
    return store_->search(q).size();
  }

  std::unique_ptr<SqliteRoomStore> store_;
};

TEST_F(RoomMessageIndexTest, ATransactionQueuesAndBeforeCommitIndexesTheBatch) {
  db().sql().exec("BEGIN IMMEDIATE");
  for (int i = 1; i <= 50; ++i) store_->append(message(i, "batched words " + std::to_string(i)));
  EXPECT_EQ(indexed("batched"), 0);  // queued, not yet indexed
  EXPECT_EQ(queued(), 50);
  db().before_commit();
  db().sql().exec("COMMIT");
  EXPECT_EQ(indexed("batched"), 50);
  EXPECT_EQ(queued(), 0);
  expect_index_consistent();
}

TEST_F(RoomMessageIndexTest, OutsideATransactionEachMessageIsIndexedAtOnce) {
  store_->append(message(1, "lonely"));
  EXPECT_EQ(indexed("lonely"), 1);
  EXPECT_EQ(queued(), 0);
}

TEST_F(RoomMessageIndexTest, IdsCommittedOutOfOrderAreAllIndexed) {
  // Ids come from one counter shared by every room's queue, so a lower id can commit after a
  // higher one: nothing may be skipped by a high-water mark.
  for (std::int64_t seq : {11, 10, 30, 12}) {
    db().sql().exec("BEGIN IMMEDIATE");
    store_->append(message(seq, "order"));
    db().before_commit();
    db().sql().exec("COMMIT");
  }
  EXPECT_EQ(indexed("order"), 4);
  expect_index_consistent();
}

TEST_F(RoomMessageIndexTest, DeletingOrEditingAQueuedRowKeepsTheIndexConsistent) {
  store_->append(message(1, "indexed old"));  // autocommit: indexed
  db().sql().exec("BEGIN IMMEDIATE");
  store_->append(message(2, "queued gone"));
  store_->append(message(3, "queued before"));
  db().sql().exec("DELETE FROM room_messages WHERE seq = 2");
  db().sql().exec("UPDATE room_messages SET body = 'queued after' WHERE seq = 3");
  db().sql().exec("UPDATE room_messages SET body = 'indexed new' WHERE seq = 1");
  db().before_commit();
  db().sql().exec("COMMIT");
  EXPECT_EQ(indexed("gone"), 0);
  EXPECT_EQ(indexed("before"), 0);
  EXPECT_EQ(indexed("after"), 1);
  EXPECT_EQ(indexed("old"), 0);
  EXPECT_EQ(indexed("new"), 1);
  expect_index_consistent();
}

TEST_F(RoomMessageIndexTest, SearchFindsRowsACommitLeftQueued) {
  // A transaction that committed without before_commit() (another process's, say): the rows
  // stay queued, and the next search indexes them first.
  db().sql().exec("BEGIN IMMEDIATE");
  store_->append(message(1, "straggler"));
  db().sql().exec("COMMIT");
  EXPECT_EQ(queued(), 1);
  EXPECT_EQ(searched("straggler"), 1u);
  EXPECT_EQ(queued(), 0);
  expect_index_consistent();
}

TEST_F(RoomMessageIndexTest, TheStoreExecutorIndexesEveryBatchBeforeItCommits) {
  auto database = std::move(db_);
  auto& sql = database->sql();
  auto rooms =
      std::make_unique<SqliteRoomStore>(sql, &database->statements(), &database->room_index());
  SqliteStoreExecutor executor(std::move(database));
  std::promise<void> done;
  constexpr int kPosts = 200;
  for (int i = 1; i <= kPosts; ++i) {
    executor.submit(
        api::StoreJob{[&rooms, i](api::Stores&) { rooms->append(message(i, "executor post")); },
                      [&done, i](bool committed, const std::string& error) {
                        EXPECT_TRUE(committed) << error;
                        if (i == kPosts) done.set_value();
                      },
                      std::chrono::milliseconds(5)});
  }
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  executor.stop();
  EXPECT_GT(executor.counters().batches, 0u);
  db_ = testing::open_or_die(path_);  // the executor closed its connection
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(indexed("executor"), kPosts);
  EXPECT_EQ(queued(), 0);
  expect_index_consistent();
}

TEST(RoomMessageIndexMigration, MessagesIndexedBeforeV6StayFoundAndDeletable) {
  testing::TempDir dir;
  const auto path = dir.path() / "parley.db";
  {
    // A v5 database whose messages the old per-row trigger indexed.
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const Migration& migration : migrations()) {
      if (migration.version > 5) break;
      raw.exec(std::string(migration.sql));
    }
    raw.exec("PRAGMA user_version = 5");
    raw.exec("INSERT INTO room_categories (name) VALUES ('general')");
    raw.exec(
        "INSERT INTO rooms (id, name, category, type, privacy, created_us)"
        " VALUES ('a', 'A', 'general', 'normal', 'open', 1)");
    raw.exec(
        "INSERT INTO room_messages (seq, room, from_user, nickname, body, stamp_us) VALUES"
        " (1, 'a', 'alice@example.com', 'alice', 'legacy kept', 1),"
        " (2, 'a', 'alice@example.com', 'alice', 'legacy dropped', 2)");
  }
  auto db = testing::open_or_die(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->schema_version(), latest_schema_version());
  SqliteRoomStore store(db->sql(), &db->statements(), &db->room_index());
  db->sql().exec("DELETE FROM room_messages WHERE seq = 2");  // indexed: leaves the index too
  api::MessageSearchQuery q;
  q.terms = {"legacy"};
  q.room = "a";
  q.all_rooms = true;
  const auto found = store.search(q);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].body, "legacy kept");
  EXPECT_NO_THROW(db->sql().exec(
      "INSERT INTO room_messages_fts(room_messages_fts, rank) VALUES('integrity-check', 1)"));
}

}  // namespace
}  // namespace parley::storage
