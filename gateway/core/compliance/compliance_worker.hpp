#pragma once
// ComplianceWorker: moves the compliance outbox to the exporters, in order, at least once.
// It runs its own thread (exports block: file fsyncs, HTTP requests). One cycle:
//   1. a store job reads every exporter's cursor and up to batch_size events after the lowest
//      cursor among the exporters that are not backing off;
//   2. each of those exporters whose cursor is behind gets the events after its cursor
//      (blocking, on this thread);
//   3. one store job advances the cursors of the exporters that succeeded, records the
//      failures (status rows: what parleyctl and the admin API show) and deletes the events
//      every configured exporter has confirmed.
// A failing exporter backs off exponentially (retry_min doubling up to retry_max) while the
// others go on; its events stay in the outbox until it confirms them. A crash between step 2
// and the commit of step 3 exports those events again: receivers dedupe by event id.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gateway/api/compliance_queue.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/core/compliance/compliance_config.hpp"
#include "gateway/core/compliance/exporters/exporter.hpp"

namespace parley::core::compliance {

struct WorkerCounters {
  std::uint64_t cycles = 0;           // read jobs completed
  std::uint64_t exported_events = 0;  // events confirmed by some exporter (summed over them)
  std::uint64_t export_failures = 0;  // failed export_batch calls
  std::uint64_t store_failures = 0;   // store jobs that did not commit
  std::uint64_t deleted = 0;          // outbox rows deleted after confirmation
};

class ComplianceWorker {
 public:
  // Builds the exporters from `config`. `queue` is used only inside store jobs submitted to
  // `store`; both must outlive the worker and the jobs it submitted (stop the worker, then the
  // executor, then destroy the queue).
  ComplianceWorker(ComplianceConfig config, api::StoreExecutor& store, api::ComplianceQueue& queue);
  // With given exporters (tests) and clock (status times, file rotation). The exporters' names
  // are the cursor keys (config.exporters is not used to build them).
  ComplianceWorker(ComplianceConfig config, api::StoreExecutor& store, api::ComplianceQueue& queue,
                   std::vector<std::unique_ptr<Exporter>> exporters, ComplianceClock clock);
  ~ComplianceWorker();  // stop()
  ComplianceWorker(const ComplianceWorker&) = delete;
  ComplianceWorker& operator=(const ComplianceWorker&) = delete;

  // Starts the thread (once). Does nothing without exporters.
  void start();
  // Bounded: the batch in flight finishes its current export (a file write, or an HTTP request
  // bounded by its timeout) and its commit is awaited up to commit_wait; anything not committed
  // is exported again after a restart (at-least-once). Idempotent; thread-safe.
  void stop();
  // A nudge after appends (the worker otherwise re-checks every poll_interval). Thread-safe,
  // cheap, never blocks on the worker.
  void wake();

  WorkerCounters counters() const;
  const std::vector<std::string>& exporter_names() const { return names_; }

  static constexpr std::chrono::seconds kCommitWait{10};

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct ExporterState {
    std::unique_ptr<Exporter> exporter;
    std::uint64_t failures = 0;  // consecutive
    SteadyTime next_attempt{};
  };
  struct JobWait;   // one store job being waited for (shared with its done callback)
  struct Outcome {  // what one cycle's commit job writes for one exporter
    std::size_t index = 0;
    bool ok = false;
    std::size_t count = 0;
    std::string error;
  };

  void run();
  // One cycle; returns true when more work is likely waiting (a full batch was exported).
  bool cycle();
  // Runs `work` as a store job and waits for it: false when it failed, or when stopping and
  // `wait_through_stop` is false, or after `limit`.
  bool run_store_job(std::function<void()> work, bool wait_through_stop,
                     std::chrono::milliseconds limit);
  void wait_for_work(std::chrono::steady_clock::duration at_most);
  std::chrono::milliseconds backoff(std::uint64_t failures) const;

  const ComplianceConfig config_;
  api::StoreExecutor& store_;
  api::ComplianceQueue& queue_;
  ComplianceClock clock_;
  std::vector<ExporterState> exporters_;  // worker thread only after start()
  std::vector<std::string> names_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::shared_ptr<JobWait> pending_;  // the store job being waited for, if any
  WorkerCounters counters_;

  std::mutex lifecycle_mutex_;
  std::thread thread_;
};

}  // namespace parley::core::compliance
