// SqliteArchiveStore: per-owner archives, paging by id and time in both directions, the
// 'with' filter (bare and full), unknown ids, duplicates and unknown owners.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "gateway/storage/archive/archive_store.hpp"
#include "gateway/storage/message_json.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

constexpr std::int64_t kEpochUs = 1'700'000'000'000'000;

class ArchiveStoreTest : public testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = std::make_unique<SqliteArchiveStore>(db().sql());
  }

  static model::Timestamp at(std::int64_t second) {
    return from_unix_micros(kEpochUs + second * 1'000'000);
  }

  // Message i: "s<i>", stamped at second i, alice/phone -> bob (odd) or carol (even); every
  // fifth one goes the other way (bob/desk or carol/desk -> alice).
  static std::shared_ptr<const model::Message> message(int i) {
    auto m = std::make_shared<model::Message>();
    m->stanza_id = "s" + std::to_string(i);
    m->id = "c" + std::to_string(i);
    m->type = model::MessageType::chat;
    m->body = "body " + std::to_string(i);
    m->stamp = at(i);
    const auto peer = testing::addr(i % 2 ? "bob@example.com/desk" : "carol@example.com/desk");
    const auto me = testing::addr("alice@example.com/phone");
    if (i % 5 == 0) {
      m->from = peer;
      m->to = me.bare();
    } else {
      m->from = me;
      m->to = peer.bare();
    }
    return m;
  }

  // Archives messages 1..n in alice's archive (and the peers').
  void fill(int n) {
    std::vector<api::ArchiveEntry> entries;
    for (int i = 1; i <= n; ++i) {
      auto m = message(i);
      const bool outgoing = m->from.bare() == alice_;
      entries.push_back(
          {alice_, outgoing ? m->to : m->from,
           outgoing ? api::ArchiveDirection::outgoing : api::ArchiveDirection::incoming, m});
      entries.push_back(
          {outgoing ? m->to.bare() : m->from.bare(), outgoing ? m->from : m->to,
           outgoing ? api::ArchiveDirection::incoming : api::ArchiveDirection::outgoing, m});
    }
    EXPECT_EQ(store_->append(entries), entries.size());
  }

  static std::vector<std::string> ids(const api::ArchiveSlice& slice) {
    std::vector<std::string> out;
    for (const auto& m : slice.messages) out.push_back(m.id);
    return out;
  }
  static std::vector<std::string> range_ids(int from, int to, int step = 1) {
    std::vector<std::string> out;
    for (int i = from; i <= to; i += step) out.push_back("s" + std::to_string(i));
    return out;
  }

  api::ArchiveRange alice_range(std::size_t limit) {
    api::ArchiveRange range;
    range.owner = alice_;
    range.limit = limit;
    return range;
  }

  std::unique_ptr<SqliteArchiveStore> store_;
};

TEST_F(ArchiveStoreTest, MessageRoundTripsWithItsStampAndIds) {
  fill(1);
  const auto slice = store_->slice(alice_range(10));
  ASSERT_EQ(slice.messages.size(), 1u);
  EXPECT_TRUE(slice.complete);
  EXPECT_FALSE(slice.unknown_id);
  const auto& m = *slice.messages[0].message;
  EXPECT_EQ(slice.messages[0].id, "s1");
  EXPECT_EQ(m.stanza_id, "s1");
  EXPECT_EQ(m.id, "c1");
  EXPECT_EQ(m.body, "body 1");
  EXPECT_EQ(m.from.to_string(), "alice@example.com/phone");
  EXPECT_EQ(m.to.to_string(), "bob@example.com");
  EXPECT_EQ(m.stamp, at(1));
  EXPECT_EQ(m.type, model::MessageType::chat);
}

TEST_F(ArchiveStoreTest, PagesForwardThroughFiveHundredMessagesInOrder) {
  fill(500);
  std::vector<std::string> seen;
  api::ArchiveRange range = alice_range(73);
  int pages = 0;
  for (;;) {
    const auto slice = store_->slice(range);
    ASSERT_FALSE(slice.unknown_id);
    ++pages;
    for (const auto& m : slice.messages) seen.push_back(m.id);
    if (slice.complete) break;
    ASSERT_FALSE(slice.messages.empty());
    range.after_id = slice.messages.back().id;
    ASSERT_LT(pages, 20);
  }
  EXPECT_EQ(pages, 7);  // 6 * 73 = 438, then 62
  EXPECT_EQ(seen, range_ids(1, 500));
}

TEST_F(ArchiveStoreTest, PagesBackwardFromTheEnd) {
  fill(120);
  api::ArchiveRange range = alice_range(50);
  range.order = model::HistoryOrder::newest_first;  // RSM <before/>: the last page
  auto slice = store_->slice(range);
  EXPECT_EQ(ids(slice), range_ids(71, 120));  // still oldest first within the page
  EXPECT_FALSE(slice.complete);
  range.before_id = "s71";
  slice = store_->slice(range);
  EXPECT_EQ(ids(slice), range_ids(21, 70));
  EXPECT_FALSE(slice.complete);
  range.before_id = "s21";
  slice = store_->slice(range);
  EXPECT_EQ(ids(slice), range_ids(1, 20));
  EXPECT_TRUE(slice.complete);
}

TEST_F(ArchiveStoreTest, FiltersByTime) {
  fill(30);
  api::ArchiveRange range = alice_range(100);
  range.start = at(10);
  range.end = at(14);
  EXPECT_EQ(ids(store_->slice(range)), range_ids(10, 14));  // both bounds inclusive
  range.end.reset();
  range.after_id = "s25";
  EXPECT_EQ(ids(store_->slice(range)), range_ids(26, 30));
}

TEST_F(ArchiveStoreTest, FiltersByBareAndFullWith) {
  fill(20);
  api::ArchiveRange range = alice_range(100);
  range.with = testing::addr("bob@example.com");  // bare: every resource of bob
  EXPECT_EQ(ids(store_->slice(range)), range_ids(1, 19, 2));
  range.with = testing::addr("carol@example.com/desk");
  // Full: only entries with exactly that resource, i.e. what carol/desk sent to alice.
  EXPECT_EQ(ids(store_->slice(range)), (std::vector<std::string>{"s10", "s20"}));
  range.with = testing::addr("carol@example.com/other");
  EXPECT_TRUE(store_->slice(range).messages.empty());
}

TEST_F(ArchiveStoreTest, ArchivesAreSeparatePerOwner) {
  fill(10);
  api::ArchiveRange range;
  range.owner = bob_;
  range.limit = 100;
  EXPECT_EQ(ids(store_->slice(range)), range_ids(1, 9, 2));
  range.owner = carol_;
  range.after_id = "s1";  // an id of bob's archive, not carol's
  EXPECT_TRUE(store_->slice(range).unknown_id);
}

TEST_F(ArchiveStoreTest, UnknownPagingIdsAreReported) {
  fill(5);
  api::ArchiveRange range = alice_range(10);
  range.after_id = "nope";
  EXPECT_TRUE(store_->slice(range).unknown_id);
  range.after_id.reset();
  range.before_id = "nope";
  EXPECT_TRUE(store_->slice(range).unknown_id);
}

TEST_F(ArchiveStoreTest, SameStampOrdersByInsertion) {
  std::vector<api::ArchiveEntry> entries;
  for (int i = 0; i < 5; ++i) {
    auto m = std::make_shared<model::Message>(*message(1));
    m->stanza_id = "same" + std::to_string(i);
    entries.push_back({alice_, m->to, api::ArchiveDirection::outgoing, m});
  }
  store_->append(entries);
  api::ArchiveRange range = alice_range(2);
  range.after_id = "same1";
  const auto slice = store_->slice(range);
  EXPECT_EQ(ids(slice), (std::vector<std::string>{"same2", "same3"}));
  EXPECT_FALSE(slice.complete);
}

TEST_F(ArchiveStoreTest, SkipsDuplicatesAndUnknownOwners) {
  auto m = message(1);
  std::vector<api::ArchiveEntry> entries{
      {alice_, m->to, api::ArchiveDirection::outgoing, m},
      {alice_, m->to, api::ArchiveDirection::outgoing, m},  // same owner and id
      {testing::addr("ghost@example.com"), m->from, api::ArchiveDirection::incoming, m},
  };
  EXPECT_EQ(store_->append(entries), 1u);
  EXPECT_EQ(store_->slice(alice_range(10)).messages.size(), 1u);
}

TEST_F(ArchiveStoreTest, RemovingTheAccountRemovesItsArchive) {
  fill(4);
  ASSERT_TRUE(stores().accounts.remove(alice_));
  EXPECT_TRUE(store_->slice(alice_range(10)).messages.empty());
  api::ArchiveRange range;
  range.owner = bob_;
  range.limit = 10;
  EXPECT_EQ(ids(store_->slice(range)), range_ids(1, 3, 2));  // bob keeps his copies
}

TEST_F(ArchiveStoreTest, ZeroLimitCountsNothingButIsIncomplete) {
  fill(3);
  const auto slice = store_->slice(alice_range(0));
  EXPECT_TRUE(slice.messages.empty());
  EXPECT_FALSE(slice.complete);
}

}  // namespace
}  // namespace parley::storage
