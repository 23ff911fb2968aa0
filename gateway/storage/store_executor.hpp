#pragma once
// SqliteStoreExecutor: api::StoreExecutor on one dedicated thread that owns the Database.
// Group commit: the thread takes everything queued (up to max_batch) into one transaction,
// each job inside its own SAVEPOINT, so a throwing job rolls back alone while its neighbours
// commit; the `done` callbacks run after COMMIT, in submission order, on the store thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/api/store_executor.hpp"
#include "gateway/storage/database.hpp"

namespace parley::storage {

struct StoreExecutorOptions {
  // Jobs waiting beyond the batch being run; past this submit() fails at once (no unbounded
  // memory when the disk cannot keep up).
  std::size_t max_queued = 100000;
  std::size_t max_batch = 512;  // jobs per transaction
};

struct StoreExecutorCounters {
  std::uint64_t jobs = 0;       // jobs run (committed or not)
  std::uint64_t batches = 0;    // transactions
  std::uint64_t max_batch = 0;  // largest batch seen
  std::uint64_t failed = 0;     // jobs whose done got committed == false after running
  std::uint64_t rejected = 0;   // jobs refused by submit (queue full or stopped)
};

class SqliteStoreExecutor final : public api::StoreExecutor {
 public:
  explicit SqliteStoreExecutor(std::unique_ptr<Database> database,
                               StoreExecutorOptions options = {});
  // stop(). Must not run on the store thread (i.e. from a done callback).
  ~SqliteStoreExecutor() override;
  SqliteStoreExecutor(const SqliteStoreExecutor&) = delete;
  SqliteStoreExecutor& operator=(const SqliteStoreExecutor&) = delete;

  // Thread-safe. A refused job (queue full: "store queue full"; after stop(): "store stopped")
  // has its done(false, reason) called at once, on the calling thread, before submit returns.
  void submit(api::StoreJob job) override;

  // Runs every job already queued, commits, and joins the thread; later submits are refused.
  // Idempotent. Called from a `done` callback it only marks the stop (the thread cannot join
  // itself); the destructor then joins.
  void stop();

  StoreExecutorCounters counters() const;
  std::size_t queued() const;

 private:
  struct Outcome {
    bool committed = true;
    std::string error;
  };

  void run();
  // With the lock held and a non-empty queue: waits while group commit says to (see
  // api::StoreJob::may_wait), then moves up to max_batch jobs into `batch`.
  void take_batch(std::unique_lock<std::mutex>& lock, std::vector<api::StoreJob>& batch);
  void run_batch(std::vector<api::StoreJob>& batch);
  void run_job(api::StoreJob& job, api::Stores& stores, Outcome& outcome);

  std::unique_ptr<Database> database_;
  const StoreExecutorOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<api::StoreJob> queue_;  // bounded by options_.max_queued
  std::size_t urgent_queued_ = 0;    // queued jobs with may_wait == 0
  // Earliest deadline (submit time + may_wait) of the queued jobs that may wait.
  std::chrono::steady_clock::time_point hold_until_ = std::chrono::steady_clock::time_point::max();
  bool stopping_ = false;

  std::mutex join_mutex_;

  std::atomic<std::uint64_t> jobs_{0};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> max_batch_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> rejected_{0};

  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace parley::storage
