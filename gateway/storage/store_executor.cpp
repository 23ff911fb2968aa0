#include "gateway/storage/store_executor.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <sqlite3.h>

#include "gateway/log/log.hpp"

namespace parley::storage {
namespace {

bool in_transaction(SQLite::Database& sql) {
  return sqlite3_get_autocommit(sql.getHandle()) == 0;
}

// BEGIN IMMEDIATE: take the write lock up front so busy_timeout applies when parleyctl holds
// it (a deferred transaction upgraded later may fail with SQLITE_BUSY_SNAPSHOT at once).
std::string begin(SQLite::Database& sql) {
  try {
    sql.exec("BEGIN IMMEDIATE");
    return {};
  } catch (const std::exception& e) {
    return std::string("cannot begin transaction: ") + e.what();
  }
}

StoreExecutorOptions normalized(StoreExecutorOptions options) {
  options.max_batch = std::max<std::size_t>(options.max_batch, 1);
  return options;
}

}  // namespace

SqliteStoreExecutor::SqliteStoreExecutor(std::unique_ptr<Database> database,
                                         StoreExecutorOptions options)
    : database_(std::move(database)), options_(normalized(options)) {
  thread_ = std::thread([this] { run(); });
}

SqliteStoreExecutor::~SqliteStoreExecutor() {
  stop();
  std::lock_guard join_lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
}

void SqliteStoreExecutor::submit(api::StoreJob job) {
  const char* refusal = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      refusal = "store stopped";
    } else if (queue_.size() >= options_.max_queued) {
      refusal = "store queue full";
    } else {
      if (job.may_wait.count() > 0) {
        hold_until_ = std::min(hold_until_, std::chrono::steady_clock::now() + job.may_wait);
      } else {
        ++urgent_queued_;
      }
      queue_.push_back(std::move(job));
    }
  }
  if (refusal == nullptr) {
    wake_.notify_one();
    return;
  }
  rejected_.fetch_add(1, std::memory_order_relaxed);
  if (job.done) job.done(false, refusal);
}

void SqliteStoreExecutor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (std::this_thread::get_id() == thread_.get_id()) return;
  std::lock_guard join_lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
}

StoreExecutorCounters SqliteStoreExecutor::counters() const {
  return StoreExecutorCounters{jobs_.load(), batches_.load(), max_batch_.load(), failed_.load(),
                               rejected_.load()};
}

std::size_t SqliteStoreExecutor::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void SqliteStoreExecutor::run() {
  std::vector<api::StoreJob> batch;
  batch.reserve(std::min<std::size_t>(options_.max_batch, 4096));
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, and everything queued has run
      take_batch(lock, batch);
    }
    run_batch(batch);
    batch.clear();
  }
}

void SqliteStoreExecutor::take_batch(std::unique_lock<std::mutex>& lock,
                                     std::vector<api::StoreJob>& batch) {
  // Group commit: hold while every queued job may wait and none of their deadlines passed
  // (hold_until_ may move earlier while we wait: a later job with a shorter may_wait).
  while (!stopping_ && urgent_queued_ == 0 && queue_.size() < options_.max_batch &&
         std::chrono::steady_clock::now() < hold_until_) {
    wake_.wait_until(lock, hold_until_);
  }
  const std::size_t n = std::min(queue_.size(), options_.max_batch);
  std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n),
            std::back_inserter(batch));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  // What stays queued (more than max_batch) is due now: it counts as urgent, so the next
  // batch does not wait again.
  urgent_queued_ = queue_.size();
  hold_until_ = std::chrono::steady_clock::time_point::max();
}

void SqliteStoreExecutor::run_job(api::StoreJob& job, api::Stores& stores, Outcome& outcome) {
  SQLite::Database& sql = database_->sql();
  try {
    sql.exec("SAVEPOINT job");
    if (job.work) job.work(stores);
    sql.exec("RELEASE job");
    return;
  } catch (const std::exception& e) {
    outcome = Outcome{false, e.what()};
  } catch (...) {
    outcome = Outcome{false, "unknown exception"};
  }
  // Undo this job only; ROLLBACK TO leaves the savepoint on the stack, RELEASE pops it.
  if (in_transaction(sql)) {
    sql.tryExec("ROLLBACK TO job");
    sql.tryExec("RELEASE job");
  }
}

void SqliteStoreExecutor::run_batch(std::vector<api::StoreJob>& batch) {
  SQLite::Database& sql = database_->sql();
  api::Stores stores = database_->stores();
  std::vector<Outcome> outcomes(batch.size());
  auto fail_range = [&outcomes](std::size_t from, std::size_t to, const std::string& error) {
    for (std::size_t i = from; i < to; ++i) {
      if (outcomes[i].committed) outcomes[i] = Outcome{false, error};
    }
  };

  std::size_t first_in_transaction = 0;  // jobs before it are already decided
  std::string error = begin(sql);
  if (!error.empty()) {
    fail_range(0, batch.size(), error);
    first_in_transaction = batch.size();
  }
  for (std::size_t i = first_in_transaction; i < batch.size(); ++i) {
    run_job(batch[i], stores, outcomes[i]);
    if (in_transaction(sql)) continue;
    // SQLite rolled the whole transaction back on its own (SQLITE_FULL, SQLITE_IOERR, ...) or a
    // job ended it: everything since BEGIN is gone. Report that, and go on in a new one.
    fail_range(first_in_transaction, i + 1,
               "transaction rolled back: " +
                   (outcomes[i].committed ? std::string("by a job") : outcomes[i].error));
    first_in_transaction = i + 1;
    error = begin(sql);
    if (!error.empty()) {
      fail_range(first_in_transaction, batch.size(), error);
      first_in_transaction = batch.size();
    }
  }
  if (in_transaction(sql)) {
    try {
      database_->before_commit();
    } catch (const std::exception& e) {
      // Its own savepoint was rolled back: what it deferred stays queued for the next try.
      PARLEY_LOG_ERROR("storage", "", "before_commit_failed", {{"error", e.what()}});
      if (!in_transaction(sql)) {
        fail_range(first_in_transaction, batch.size(),
                   std::string("transaction rolled back: ") + e.what());
      }
    }
  }
  if (in_transaction(sql)) {
    try {
      sql.exec("COMMIT");
    } catch (const std::exception& e) {
      sql.tryExec("ROLLBACK");
      fail_range(first_in_transaction, batch.size(), std::string("commit failed: ") + e.what());
      PARLEY_LOG_ERROR(
          "storage", "", "commit_failed",
          {{"jobs", std::to_string(batch.size() - first_in_transaction)}, {"error", e.what()}});
    }
  }

  jobs_.fetch_add(batch.size(), std::memory_order_relaxed);
  batches_.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t seen = max_batch_.load(std::memory_order_relaxed);
  while (seen < batch.size() &&
         !max_batch_.compare_exchange_weak(seen, batch.size(), std::memory_order_relaxed)) {
  }

  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!outcomes[i].committed) failed_.fetch_add(1, std::memory_order_relaxed);
    if (!batch[i].done) continue;
    try {
      batch[i].done(outcomes[i].committed, outcomes[i].error);
    } catch (const std::exception& e) {
      // A callback bug must not take the store thread (and every later job) down with it.
      PARLEY_LOG_ERROR("storage", "", "done_callback_threw", {{"error", e.what()}});
    } catch (...) {
      PARLEY_LOG_ERROR("storage", "", "done_callback_threw", {{"error", "unknown exception"}});
    }
  }
}

}  // namespace parley::storage
