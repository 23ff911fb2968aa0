#include "gateway/storage/store_executor.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using namespace std::chrono_literals;
using testing::addr;
using testing::fake_credentials;
using testing::open_or_die;
using testing::TempDir;

constexpr auto kTimeout = 30s;

// Records done() calls; tests wait on a count with a bounded timeout (never sleep).
class DoneLog {
 public:
  struct Entry {
    int submitter;
    int index;
    bool committed;
    std::string error;
  };

  std::function<void(bool, const std::string&)> callback(int submitter, int index) {
    return [this, submitter, index](bool committed, const std::string& error) {
      std::lock_guard lock(mutex_);
      entries_.push_back({submitter, index, committed, error});
      changed_.notify_all();
    };
  }

  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kTimeout, [&] { return entries_.size() >= count; });
  }

  std::vector<Entry> entries() {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Entry> entries_;
};

// A job that holds the store thread until released, so that later jobs queue up behind it.
class Gate {
 public:
  api::StoreJob job() {
    return api::StoreJob{[this](api::Stores&) {
                           entered_.set_value();
                           opened_.wait_for(kTimeout);
                         },
                         {}};
  }
  bool wait_entered() { return entered_future_.wait_for(kTimeout) == std::future_status::ready; }
  void open() { open_promise_.set_value(); }

 private:
  std::promise<void> entered_;
  std::future<void> entered_future_ = entered_.get_future();
  std::promise<void> open_promise_;
  std::shared_future<void> opened_ = open_promise_.get_future().share();
};

model::Message message_to(const model::Address& to, const std::string& body) {
  model::Message message;
  message.from = addr("sender@example.com/x");
  message.to = to;
  message.type = model::MessageType::chat;
  message.body = body;
  return message;
}

class StoreExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = open_or_die(path_);
    ASSERT_NE(db, nullptr);
    for (int i = 0; i < 8; ++i) {
      ASSERT_TRUE(db->stores().accounts.create(user(i), fake_credentials("u")));
    }
    database_ = std::move(db);
  }

  void start(StoreExecutorOptions options = {}) {
    executor_ = std::make_unique<SqliteStoreExecutor>(std::move(database_), options);
  }

  static model::Address user(int i) { return addr("user" + std::to_string(i) + "@example.com"); }

  TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "parley.db";
  std::unique_ptr<Database> database_;
  std::unique_ptr<SqliteStoreExecutor> executor_;
};

TEST_F(StoreExecutorTest, ConcurrentSubmittersAllCompleteOnceInOrder) {
  start();
  constexpr int kSubmitters = 4;
  constexpr int kJobsEach = 300;
  DoneLog log;
  std::vector<std::thread> threads;
  for (int s = 0; s < kSubmitters; ++s) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kJobsEach; ++i) {
        executor_->submit(api::StoreJob{[s, i](api::Stores& stores) {
                                          stores.offline.store(
                                              message_to(user(s), std::to_string(i)));
                                        },
                                        log.callback(s, i)});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(log.wait_for(kSubmitters * kJobsEach));

  std::map<int, std::vector<int>> per_submitter;
  for (const auto& entry : log.entries()) {
    EXPECT_TRUE(entry.committed) << entry.error;
    per_submitter[entry.submitter].push_back(entry.index);
  }
  ASSERT_EQ(per_submitter.size(), static_cast<std::size_t>(kSubmitters));
  for (const auto& [submitter, indexes] : per_submitter) {
    ASSERT_EQ(indexes.size(), static_cast<std::size_t>(kJobsEach)) << submitter;  // once each
    for (int i = 0; i < kJobsEach; ++i) EXPECT_EQ(indexes[i], i) << submitter;    // in order
  }

  executor_->stop();
  const auto counters = executor_->counters();
  EXPECT_EQ(counters.jobs, static_cast<std::uint64_t>(kSubmitters * kJobsEach));
  EXPECT_LE(counters.batches, counters.jobs);
  EXPECT_EQ(counters.failed, 0u);
  executor_.reset();

  // Durable, and stored in submission order per user.
  auto db = open_or_die(path_);
  ASSERT_NE(db, nullptr);
  for (int s = 0; s < kSubmitters; ++s) {
    auto messages = db->stores().offline.take(user(s), kJobsEach + 1);
    ASSERT_EQ(messages.size(), static_cast<std::size_t>(kJobsEach));
    for (int i = 0; i < kJobsEach; ++i) EXPECT_EQ(messages[i].body, std::to_string(i));
  }
}

TEST_F(StoreExecutorTest, QueuedJobsShareOneTransactionAndAThrowingJobRollsBackAlone) {
  start();
  Gate gate;
  DoneLog log;
  executor_->submit(gate.job());
  ASSERT_TRUE(gate.wait_entered());
  // These three queue up behind the gate and run as one batch.
  executor_->submit({[](api::Stores& s) { s.vcards.set(user(1), "one"); }, log.callback(0, 1)});
  executor_->submit({[](api::Stores& s) {
                       s.vcards.set(user(2), "two");  // written, then undone
                       s.blocks.add(user(2), {user(3)});
                       throw std::runtime_error("job two failed");
                     },
                     log.callback(0, 2)});
  executor_->submit({[](api::Stores& s) { s.vcards.set(user(3), "three"); }, log.callback(0, 3)});
  gate.open();
  ASSERT_TRUE(log.wait_for(3));

  auto entries = log.entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].index, 1);
  EXPECT_TRUE(entries[0].committed);
  EXPECT_EQ(entries[1].index, 2);
  EXPECT_FALSE(entries[1].committed);
  EXPECT_EQ(entries[1].error, "job two failed");
  EXPECT_EQ(entries[2].index, 3);
  EXPECT_TRUE(entries[2].committed);
  EXPECT_GE(executor_->counters().max_batch, 3u);

  executor_->stop();
  executor_.reset();
  auto db = open_or_die(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->stores().vcards.get(user(1)), "one");
  EXPECT_EQ(db->stores().vcards.get(user(2)), std::nullopt);
  EXPECT_TRUE(db->stores().blocks.list(user(2)).empty());
  EXPECT_EQ(db->stores().vcards.get(user(3)), "three");
}

TEST_F(StoreExecutorTest, BatchesAreCappedAtMaxBatch) {
  start({.max_queued = 1000, .max_batch = 4});
  Gate gate;
  DoneLog log;
  executor_->submit(gate.job());
  ASSERT_TRUE(gate.wait_entered());
  for (int i = 0; i < 10; ++i) executor_->submit({[](api::Stores&) {}, log.callback(0, i)});
  gate.open();
  ASSERT_TRUE(log.wait_for(10));
  const auto counters = executor_->counters();
  EXPECT_EQ(counters.max_batch, 4u);
  EXPECT_EQ(counters.jobs, 11u);
  EXPECT_EQ(counters.batches, 4u);  // the gate alone, then 4 + 4 + 2
}

TEST_F(StoreExecutorTest, AFullQueueRefusesAtOnce) {
  start({.max_queued = 2, .max_batch = 512});
  Gate gate;
  DoneLog log;
  executor_->submit(gate.job());
  ASSERT_TRUE(gate.wait_entered());  // the gate is running, so the queue is empty
  executor_->submit({[](api::Stores&) {}, log.callback(0, 0)});
  executor_->submit({[](api::Stores&) {}, log.callback(0, 1)});
  EXPECT_EQ(executor_->queued(), 2u);
  executor_->submit({[](api::Stores&) {}, log.callback(0, 2)});
  // Refused synchronously, before submit returned.
  auto entries = log.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].index, 2);
  EXPECT_FALSE(entries[0].committed);
  EXPECT_EQ(entries[0].error, "store queue full");
  EXPECT_EQ(executor_->counters().rejected, 1u);
  gate.open();
  ASSERT_TRUE(log.wait_for(3));
  entries = log.entries();
  EXPECT_TRUE(entries[1].committed);
  EXPECT_TRUE(entries[2].committed);
}

TEST_F(StoreExecutorTest, StopDrainsEverythingQueuedThenRefuses) {
  start();
  Gate gate;
  DoneLog log;
  executor_->submit(gate.job());
  ASSERT_TRUE(gate.wait_entered());
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) {
    executor_->submit(
        {[i](api::Stores& s) { s.offline.store(message_to(user(0), std::to_string(i))); },
         log.callback(0, i)});
  }
  gate.open();
  executor_->stop();
  // stop() returned: every queued job has run and its done has been called.
  auto entries = log.entries();
  ASSERT_EQ(entries.size(), static_cast<std::size_t>(kJobs));
  for (const auto& entry : entries) EXPECT_TRUE(entry.committed) << entry.error;

  executor_->submit({[](api::Stores&) { ADD_FAILURE() << "ran after stop"; }, log.callback(1, 0)});
  entries = log.entries();
  ASSERT_EQ(entries.size(), static_cast<std::size_t>(kJobs + 1));
  EXPECT_FALSE(entries.back().committed);
  EXPECT_EQ(entries.back().error, "store stopped");
  executor_->stop();  // idempotent
  executor_.reset();

  auto db = open_or_die(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->stores().offline.count(user(0)), static_cast<std::size_t>(kJobs));
}

TEST_F(StoreExecutorTest, ALockedDatabaseFailsTheBatchAndTheNextOneSucceeds) {
  // parleyctl holding the write lock for longer than busy_timeout.
  database_.reset();
  auto opened = Database::open(path_, DatabaseOptions{.busy_timeout = 20ms});
  ASSERT_TRUE(opened) << opened.error();
  database_ = std::move(opened).value();
  start();
  SQLite::Database other(path_.string(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");

  DoneLog log;
  executor_->submit({[](api::Stores& s) { s.vcards.set(user(0), "x"); }, log.callback(0, 0)});
  ASSERT_TRUE(log.wait_for(1));
  auto entries = log.entries();
  EXPECT_FALSE(entries[0].committed);
  EXPECT_NE(entries[0].error.find("cannot begin"), std::string::npos) << entries[0].error;

  other.exec("ROLLBACK");
  executor_->submit({[](api::Stores& s) { s.vcards.set(user(0), "y"); }, log.callback(0, 1)});
  ASSERT_TRUE(log.wait_for(2));
  entries = log.entries();
  EXPECT_TRUE(entries[1].committed) << entries[1].error;
  EXPECT_EQ(executor_->counters().failed, 1u);
}

TEST_F(StoreExecutorTest, AThrowingDoneCallbackDoesNotStopTheThread) {
  start();
  DoneLog log;
  executor_->submit(
      {[](api::Stores&) {}, [](bool, const std::string&) { throw std::runtime_error("bug"); }});
  executor_->submit({[](api::Stores&) {}, log.callback(0, 0)});
  ASSERT_TRUE(log.wait_for(1));
  EXPECT_TRUE(log.entries()[0].committed);
}

TEST_F(StoreExecutorTest, RunOnStoreReturnsTheResultAfterCommit) {
  start();
  std::promise<std::optional<std::size_t>> result;
  api::run_on_store<std::size_t>(
      *executor_,
      [](api::Stores& s) {
        s.offline.store(message_to(user(4), "a"));
        s.offline.store(message_to(user(4), "b"));
        return s.offline.count(user(4));
      },
      [&result](std::optional<std::size_t> count) { result.set_value(count); });
  auto future = result.get_future();
  ASSERT_EQ(future.wait_for(kTimeout), std::future_status::ready);
  EXPECT_EQ(future.get(), std::optional<std::size_t>(2));

  std::promise<std::optional<int>> failed;
  api::run_on_store<int>(
      *executor_, [](api::Stores&) -> int { throw std::runtime_error("no"); },
      [&failed](std::optional<int> value) { failed.set_value(value); });
  auto failed_future = failed.get_future();
  ASSERT_EQ(failed_future.wait_for(kTimeout), std::future_status::ready);
  EXPECT_EQ(failed_future.get(), std::nullopt);
}

// Group commit (StoreJob::may_wait): a job that may wait holds the commit until its deadline,
// unless a job that may not wait arrives first; then both share one batch, in order.
TEST_F(StoreExecutorTest, AJobThatMayWaitIsTakenAlongByTheNextUrgentJob) {
  start();
  DoneLog log;
  executor_->submit({[](api::Stores& s) { s.vcards.set(user(0), "deferred"); }, log.callback(0, 0),
                     std::chrono::minutes(10)});
  // Nothing else is queued and the deadline is far: the job stays queued.
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(executor_->queued(), 1u);
  EXPECT_TRUE(log.entries().empty());

  executor_->submit({[](api::Stores& s) { s.vcards.set(user(1), "urgent"); }, log.callback(0, 1)});
  ASSERT_TRUE(log.wait_for(2));
  const auto entries = log.entries();
  EXPECT_EQ(entries[0].index, 0);
  EXPECT_EQ(entries[1].index, 1);
  EXPECT_TRUE(entries[0].committed && entries[1].committed);
  const auto counters = executor_->counters();
  EXPECT_EQ(counters.batches, 1u);
  EXPECT_EQ(counters.max_batch, 2u);
}

TEST_F(StoreExecutorTest, AJobThatMayWaitRunsAloneAtItsDeadline) {
  start();
  DoneLog log;
  const auto submitted = std::chrono::steady_clock::now();
  executor_->submit(
      {[](api::Stores& s) { s.vcards.set(user(0), "a"); }, log.callback(0, 0), 150ms});
  executor_->submit(
      {[](api::Stores& s) { s.vcards.set(user(1), "b"); }, log.callback(0, 1), 150ms});
  ASSERT_TRUE(log.wait_for(2));
  // Not before the earliest deadline, and both in the one commit it released.
  EXPECT_GE(std::chrono::steady_clock::now() - submitted, 150ms);
  EXPECT_EQ(executor_->counters().batches, 1u);
  for (const auto& entry : log.entries()) EXPECT_TRUE(entry.committed) << entry.error;
}

TEST_F(StoreExecutorTest, StopDoesNotWaitForTheDeadlineOfAJobThatMayWait) {
  start();
  DoneLog log;
  executor_->submit({[](api::Stores& s) { s.vcards.set(user(2), "kept"); }, log.callback(0, 0),
                     std::chrono::minutes(10)});
  executor_->stop();  // returns once the job has run, not ten minutes later
  ASSERT_EQ(log.entries().size(), 1u);
  EXPECT_TRUE(log.entries()[0].committed);
  executor_.reset();
  auto db = open_or_die(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->stores().vcards.get(user(2)), "kept");
}

TEST_F(StoreExecutorTest, DestructorDrainsToo) {
  start();
  DoneLog log;
  for (int i = 0; i < 50; ++i) {
    executor_->submit(
        {[i](api::Stores& s) { s.offline.store(message_to(user(5), std::to_string(i))); },
         log.callback(0, i)});
  }
  executor_.reset();
  EXPECT_EQ(log.entries().size(), 50u);
  auto db = open_or_die(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->stores().offline.count(user(5)), 50u);
}

}  // namespace
}  // namespace parley::storage
