// ArchiveService on the real SQLite store executor: both parties' archives, batching (group
// commit), paging through 500 messages by id and time, the page cap and error mapping.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/archive/archive_service.hpp"
#include "gateway/storage/archive/archive_store.hpp"
#include "gateway/storage/message_json.hpp"
#include "gateway/storage/store_executor.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::core {
namespace {

using storage::testing::addr;
using Result = model::Expected<api::ArchivePage, model::StanzaError>;

constexpr auto kWait = std::chrono::seconds(10);

class ArchiveServiceTest : public storage::testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = std::make_unique<storage::SqliteArchiveStore>(db().sql());
    executor_ = std::make_unique<storage::SqliteStoreExecutor>(std::move(db_));
    jobs_ = std::make_unique<api::StoreArchiveJobs>(*executor_, *store_);
    ArchiveConfig config;
    config.max_page = 100;
    service_ = std::make_unique<ArchiveService>(*jobs_, config);
  }
  void TearDown() override {
    service_.reset();
    executor_->stop();
  }

  std::shared_ptr<const model::Message> message(std::string_view from, std::string_view to, int i) {
    auto m = std::make_shared<model::Message>();
    m->from = addr(from);
    m->to = addr(to);
    m->type = model::MessageType::chat;
    m->body = "hello " + std::to_string(i);
    m->stanza_id = "sid-" + std::to_string(i);
    m->stamp = storage::from_unix_micros(1'700'000'000'000'000 + i * 1000);
    return m;
  }

  Result query(api::ArchiveQuery q) {
    std::promise<Result> promise;
    auto future = promise.get_future();
    service_->query(std::move(q), [&promise](Result r) { promise.set_value(std::move(r)); });
    EXPECT_EQ(future.wait_for(kWait), std::future_status::ready);
    return future.get();
  }

  api::ArchiveQuery of(const model::Address& owner, std::size_t limit) {
    api::ArchiveQuery q;
    q.owner = owner;
    q.limit = limit;
    return q;
  }

  std::unique_ptr<storage::SqliteArchiveStore> store_;
  std::unique_ptr<storage::SqliteStoreExecutor> executor_;
  std::unique_ptr<api::StoreArchiveJobs> jobs_;
  std::unique_ptr<ArchiveService> service_;
};

TEST_F(ArchiveServiceTest, EntriesGoToSenderAndRecipient) {
  const auto entries = archive_entries(message("alice@example.com/a", "bob@example.com", 1));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].owner, alice_);
  EXPECT_EQ(entries[0].direction, api::ArchiveDirection::outgoing);
  EXPECT_EQ(entries[0].with.to_string(), "bob@example.com");
  EXPECT_EQ(entries[1].owner, bob_);
  EXPECT_EQ(entries[1].direction, api::ArchiveDirection::incoming);
  EXPECT_EQ(entries[1].with.to_string(), "alice@example.com/a");
  // A note to oneself is archived once.
  EXPECT_EQ(archive_entries(message("alice@example.com/a", "alice@example.com", 2)).size(), 1u);
}

TEST_F(ArchiveServiceTest, RecordedMessagesAreQueryableByBothParties) {
  service_->record(message("alice@example.com/a", "bob@example.com", 1));
  service_->record(message("bob@example.com/b", "alice@example.com/a", 2));
  service_->record(message("alice@example.com/a", "ghost@example.com", 3));  // no account
  auto alice = query(of(alice_, 10));
  ASSERT_TRUE(alice.ok());
  ASSERT_EQ(alice->messages.size(), 3u);
  EXPECT_EQ(alice->messages[0].id, "sid-1");
  EXPECT_EQ(alice->messages[1].id, "sid-2");
  EXPECT_EQ(alice->messages[2].id, "sid-3");
  EXPECT_TRUE(alice->complete);
  auto bob = query(of(bob_, 10));
  ASSERT_TRUE(bob.ok());
  ASSERT_EQ(bob->messages.size(), 2u);
  EXPECT_EQ(bob->messages[1].message->body, "hello 2");
  auto carol = query(of(carol_, 10));
  ASSERT_TRUE(carol.ok());
  EXPECT_TRUE(carol->messages.empty());
}

// An executor that holds jobs until the test runs them, against a store that records appends.
struct HeldExecutor : api::ArchiveStoreExecutor {
  std::vector<api::ArchiveStoreJob> jobs;
  void submit(api::ArchiveStoreJob job) override { jobs.push_back(std::move(job)); }
};
struct RecordingStore : api::ArchiveStore {
  std::vector<std::size_t> appends;  // entries per call
  std::size_t append(const std::vector<api::ArchiveEntry>& entries) override {
    appends.push_back(entries.size());
    return entries.size();
  }
  api::ArchiveSlice slice(const api::ArchiveRange&) override { return {}; }
};

TEST_F(ArchiveServiceTest, RecordsWaitingForTheStoreGoOutInOneBatch) {
  HeldExecutor held;
  RecordingStore recording;
  ArchiveService batched(held, ArchiveConfig{});
  for (int i = 1; i <= 50; ++i)
    batched.record(message("alice@example.com/a", "bob@example.com", i));
  ASSERT_EQ(held.jobs.size(), 1u);  // one drain job for the whole burst
  held.jobs[0].work(recording);
  held.jobs[0].done(true, "");
  EXPECT_EQ(recording.appends, (std::vector<std::size_t>{100}));  // both parties' entries
  batched.record(message("alice@example.com/a", "bob@example.com", 51));
  ASSERT_EQ(held.jobs.size(), 2u);  // the next record after a drain queues a new job
  held.jobs[1].work(recording);
  EXPECT_EQ(recording.appends, (std::vector<std::size_t>{100, 2}));
}

TEST_F(ArchiveServiceTest, PagesThroughFiveHundredMessagesWithTheCap) {
  for (int i = 1; i <= 500; ++i) {
    service_->record(message(i % 2 ? "alice@example.com/a" : "bob@example.com/b",
                             i % 2 ? "bob@example.com" : "alice@example.com", i));
  }
  std::vector<std::string> seen;
  api::ArchiveQuery q = of(alice_, 1000);  // capped to max_page = 100
  for (int pages = 0; pages < 10; ++pages) {
    auto page = query(q);
    ASSERT_TRUE(page.ok());
    ASSERT_LE(page->messages.size(), 100u);
    for (const auto& m : page->messages) seen.push_back(m.id);
    if (page->complete) break;
    q.after_id = page->messages.back().id;
  }
  ASSERT_EQ(seen.size(), 500u);
  for (int i = 1; i <= 500; ++i) EXPECT_EQ(seen[i - 1], "sid-" + std::to_string(i));
}

TEST_F(ArchiveServiceTest, LastPageAndTimeAndWithFilters) {
  for (int i = 1; i <= 30; ++i) {
    service_->record(
        message("alice@example.com/a", i % 3 ? "bob@example.com" : "carol@example.com", i));
  }
  api::ArchiveQuery q = of(alice_, 5);
  q.order = model::HistoryOrder::newest_first;
  auto last = query(q);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->messages.size(), 5u);
  EXPECT_EQ(last->messages.front().id, "sid-26");
  EXPECT_EQ(last->messages.back().id, "sid-30");
  EXPECT_FALSE(last->complete);

  q = of(alice_, 100);
  q.with = addr("carol@example.com");
  q.start = storage::from_unix_micros(1'700'000'000'000'000 + 10 * 1000);
  q.end = storage::from_unix_micros(1'700'000'000'000'000 + 20 * 1000);
  auto filtered = query(q);
  ASSERT_TRUE(filtered.ok());
  std::vector<std::string> ids;
  for (const auto& m : filtered->messages) ids.push_back(m.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"sid-12", "sid-15", "sid-18"}));
}

TEST_F(ArchiveServiceTest, UnknownIdIsItemNotFound) {
  service_->record(message("alice@example.com/a", "bob@example.com", 1));
  api::ArchiveQuery q = of(alice_, 10);
  q.before_id = "does-not-exist";
  auto result = query(q);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().condition, model::ErrorCondition::item_not_found);
}

TEST_F(ArchiveServiceTest, BacklogIsBounded) {
  // A service whose drain job cannot run yet: everything past max_pending is dropped.
  HeldExecutor held;
  ArchiveConfig config;
  config.max_pending = 10;
  ArchiveService bounded(held, config);
  for (int i = 1; i <= 20; ++i)
    bounded.record(message("alice@example.com/a", "bob@example.com", i));
  EXPECT_EQ(held.jobs.size(), 1u);    // one drain job queued for the whole burst
  EXPECT_EQ(bounded.dropped(), 30u);  // 5 messages (10 entries) kept, 15 dropped (30 entries)
}

TEST_F(ArchiveServiceTest, BackloggedFromHalfOfMaxPendingUntilTheStoreTakesTheBatch) {
  // The sessions stop reading while backlogged(): it turns on at max_pending / 2 entries
  // waiting, before anything is dropped, and off when the drain job takes them.
  HeldExecutor held;
  RecordingStore recording;
  ArchiveConfig config;
  config.max_pending = 10;
  ArchiveService service(held, config);
  EXPECT_FALSE(service.backlogged());
  service.record(message("alice@example.com/a", "bob@example.com", 1));
  service.record(message("alice@example.com/a", "bob@example.com", 2));
  EXPECT_FALSE(service.backlogged());  // 4 entries waiting
  service.record(message("alice@example.com/a", "bob@example.com", 3));
  EXPECT_TRUE(service.backlogged());  // 6 >= 10 / 2
  EXPECT_EQ(service.dropped(), 0u);   // the headroom up to max_pending is still there
  ASSERT_EQ(held.jobs.size(), 1u);
  held.jobs[0].work(recording);  // takes all six
  EXPECT_FALSE(service.backlogged());
  held.jobs[0].done(true, "");
  EXPECT_EQ(recording.appends, (std::vector<std::size_t>{6}));
}

TEST_F(ArchiveServiceTest, AnArchiveThatIsOffRecordsNothingAndAnswersServiceUnavailable) {
  HeldExecutor held;
  ArchiveConfig config;
  config.enabled = false;
  ArchiveService off(held, config);
  off.record(message("alice@example.com/a", "bob@example.com", 1));
  EXPECT_TRUE(held.jobs.empty());  // no rows and no compliance: not even a store job

  std::optional<Result> answer;
  off.query(of(alice_, 10), [&answer](Result r) { answer = std::move(r); });
  ASSERT_TRUE(answer.has_value());  // at once: the store is not asked
  ASSERT_FALSE(answer->ok());
  EXPECT_EQ(answer->error().condition, model::ErrorCondition::service_unavailable);
  EXPECT_TRUE(held.jobs.empty());
}

}  // namespace
}  // namespace parley::core
