// ComplianceWorker: read batch -> export per exporter -> commit cursors/status/deletes.
#include "gateway/core/compliance/compliance_worker.hpp"

#include <algorithm>
#include <exception>
#include <limits>
#include <utility>

#include "gateway/log/log.hpp"

namespace parley::core::compliance {

struct ComplianceWorker::JobWait {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  bool committed = false;
  bool cancelled = false;  // stop() while waiting
  std::string error;
};

namespace {

constexpr std::string_view kComponent = "compliance";

ComplianceClock system_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace

ComplianceWorker::ComplianceWorker(ComplianceConfig config, api::StoreExecutor& store,
                                   api::ComplianceQueue& queue)
    : ComplianceWorker(config, store, queue, make_exporters(config, system_clock()),
                       system_clock()) {}

ComplianceWorker::ComplianceWorker(ComplianceConfig config, api::StoreExecutor& store,
                                   api::ComplianceQueue& queue,
                                   std::vector<std::unique_ptr<Exporter>> exporters,
                                   ComplianceClock clock)
    : config_(std::move(config)), store_(store), queue_(queue), clock_(std::move(clock)) {
  for (auto& exporter : exporters) {
    names_.push_back(exporter->name());
    exporters_.push_back(ExporterState{std::move(exporter), 0, {}});
  }
}

ComplianceWorker::~ComplianceWorker() {
  stop();
}

void ComplianceWorker::start() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (thread_.joinable() || exporters_.empty()) {
    if (exporters_.empty()) {
      PARLEY_LOG_WARN(kComponent, "", "no_exporters",
                      {{"effect", "events stay in the outbox until an exporter is configured"}});
    }
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
  }
  thread_ = std::thread([this] { run(); });
}

void ComplianceWorker::stop() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (pending_) {
      std::lock_guard job_lock(pending_->mutex);
      pending_->cancelled = true;
      pending_->cv.notify_all();
    }
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ComplianceWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

WorkerCounters ComplianceWorker::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

std::chrono::milliseconds ComplianceWorker::backoff(std::uint64_t failures) const {
  // retry_min * 2^(failures-1), capped; the shift is capped first so it cannot overflow.
  const auto shift = std::min<std::uint64_t>(failures == 0 ? 0 : failures - 1, 30);
  const auto delay = config_.retry_min * (std::int64_t{1} << shift);
  return std::clamp(delay, config_.retry_min, std::max(config_.retry_min, config_.retry_max));
}

void ComplianceWorker::wait_for_work(std::chrono::steady_clock::duration at_most) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, at_most, [this] { return woken_ || stopping_; });
  woken_ = false;
}

bool ComplianceWorker::run_store_job(std::function<void()> work, bool wait_through_stop,
                                     std::chrono::milliseconds limit) {
  auto wait = std::make_shared<JobWait>();
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !wait_through_stop) return false;
    if (!wait_through_stop) pending_ = wait;
  }
  // The callbacks hold only `wait`: an abandoned job may finish after the worker is gone.
  store_.submit(api::StoreJob{[work = std::move(work)](api::Stores&) { work(); },
                              [wait](bool committed, const std::string& error) {
                                std::lock_guard lock(wait->mutex);
                                wait->done = true;
                                wait->committed = committed;
                                wait->error = error;
                                wait->cv.notify_all();
                              }});
  bool committed = false;
  std::string error;
  {
    std::unique_lock lock(wait->mutex);
    const bool finished = wait->cv.wait_for(
        lock, limit, [&] { return wait->done || (!wait_through_stop && wait->cancelled); });
    committed = finished && wait->done && wait->committed;
    error = wait->done ? wait->error : (finished ? "stopping" : "store job timed out");
  }
  {
    std::lock_guard lock(mutex_);
    if (pending_ == wait) pending_.reset();
    if (!committed) ++counters_.store_failures;
  }
  if (!committed && error != "stopping") {
    PARLEY_LOG_WARN(kComponent, "", "store_job_failed", {{"error", error}});
  }
  return committed;
}

bool ComplianceWorker::cycle() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::size_t> due;
  auto next = SteadyTime::max();
  for (std::size_t i = 0; i < exporters_.size(); ++i) {
    if (exporters_[i].next_attempt <= now) {
      due.push_back(i);
    } else {
      next = std::min(next, exporters_[i].next_attempt);
    }
  }
  if (due.empty()) {
    wait_for_work(std::min<std::chrono::steady_clock::duration>(next - now, config_.poll_interval));
    return false;
  }

  // 1. Cursors and the batch after the lowest cursor among the due exporters. The job owns
  // what it reads and writes (shared, not references into this frame): a job abandoned by
  // stop() or a timeout may still run after cycle() has returned.
  struct ReadResult {
    std::vector<std::int64_t> cursors;
    api::ComplianceBatch batch;
  };
  const std::size_t batch_size = std::max<std::size_t>(config_.batch_size, 1);
  auto read_result = std::make_shared<ReadResult>();
  {
    const bool read = run_store_job(
        [read_result, names = names_, due, batch_size, &queue = queue_] {
          read_result->cursors = queue.cursors(names);
          std::int64_t from = std::numeric_limits<std::int64_t>::max();
          for (auto i : due) from = std::min(from, read_result->cursors[i]);
          read_result->batch = queue.read_after(from, batch_size);
        },
        false, std::chrono::milliseconds(kCommitWait));
    if (!read) {
      wait_for_work(config_.retry_min);
      return false;
    }
  }
  const std::vector<std::int64_t> cursors = std::move(read_result->cursors);
  const api::ComplianceBatch batch = std::move(read_result->batch);
  {
    std::lock_guard lock(mutex_);
    ++counters_.cycles;
  }

  // 2. Export to each due exporter that is behind the batch.
  std::vector<Outcome> outcomes;
  for (auto i : due) {
    if (cursors[i] >= batch.last_seq) continue;  // nothing new for this one
    auto first = std::find_if(batch.rows.begin(), batch.rows.end(),
                              [&](const api::ComplianceRow& row) { return row.seq > cursors[i]; });
    std::vector<api::ComplianceEvent> events;
    events.reserve(static_cast<std::size_t>(batch.rows.end() - first));
    for (auto it = first; it != batch.rows.end(); ++it) events.push_back(it->event);
    ExportResult result;
    if (!events.empty()) {  // empty: only undecodable rows; the cursor just moves past them
      try {
        result = exporters_[i].exporter->export_batch(events);
      } catch (const std::exception& e) {
        result = ExportResult::failure(std::string("exporter threw: ") + e.what());
      }
    }
    outcomes.push_back(Outcome{i, result.ok, events.size(), std::move(result.error)});
  }
  if (outcomes.empty()) {  // every due exporter is up to date: idle
    wait_for_work(config_.poll_interval);
    return false;
  }

  // 3. Commit: cursors, status, deletes. Awaited even when stopping (bounded): a confirmed
  // batch whose cursor is not committed is exported again after the restart.
  const auto stamp = clock_();
  auto deleted = std::make_shared<std::size_t>(0);
  const std::int64_t last_seq = batch.last_seq;
  std::vector<std::pair<std::string, Outcome>> named;
  for (const auto& outcome : outcomes) named.emplace_back(names_[outcome.index], outcome);
  const bool committed = run_store_job(
      [named = std::move(named), names = names_, last_seq, stamp, deleted, &queue = queue_] {
        for (const auto& [name, outcome] : named) {
          if (outcome.ok) {
            queue.confirm(name, last_seq, outcome.count, stamp);
          } else {
            queue.record_failure(name, outcome.error, stamp);
          }
        }
        *deleted = queue.delete_confirmed(names);
      },
      true, std::chrono::milliseconds(kCommitWait));

  bool progressed = false;
  const auto after = std::chrono::steady_clock::now();
  for (const auto& outcome : outcomes) {
    auto& state = exporters_[outcome.index];
    const auto& name = names_[outcome.index];
    if (outcome.ok) {
      if (state.failures > 0) {
        PARLEY_LOG_INFO(kComponent, "", "export_recovered",
                        {{"exporter", name}, {"after_failures", std::to_string(state.failures)}});
      }
      state.failures = 0;
      state.next_attempt = {};
      progressed = progressed || committed;
      PARLEY_LOG_DEBUG(kComponent, "", "exported",
                       {{"exporter", name},
                        {"events", std::to_string(outcome.count)},
                        {"last_seq", std::to_string(last_seq)}});
    } else {
      ++state.failures;
      const auto delay = backoff(state.failures);
      state.next_attempt = after + delay;
      PARLEY_LOG_WARN(kComponent, "", "export_failed",
                      {{"exporter", name},
                       {"error", outcome.error},
                       {"consecutive_failures", std::to_string(state.failures)},
                       {"retry_in_ms", std::to_string(delay.count())}});
    }
  }
  {
    std::lock_guard lock(mutex_);
    for (const auto& outcome : outcomes) {
      if (outcome.ok && committed) counters_.exported_events += outcome.count;
      if (!outcome.ok) ++counters_.export_failures;
    }
    if (committed) counters_.deleted += *deleted;
  }
  if (!committed) {
    wait_for_work(config_.retry_min);
    return false;
  }
  // A full batch: more is probably waiting, go again at once.
  return progressed && batch.rows.size() >= batch_size;
}

void ComplianceWorker::run() {
  PARLEY_LOG_INFO(kComponent, "", "worker_started",
                  {{"exporters", std::to_string(exporters_.size())},
                   {"batch_size", std::to_string(config_.batch_size)}});
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    bool more = false;
    try {
      more = cycle();
    } catch (const std::exception& e) {  // a broken invariant: log, back off, keep going
      PARLEY_LOG_ERROR(kComponent, "", "cycle_failed", {{"error", e.what()}});
      wait_for_work(config_.retry_min);
    }
    (void)more;  // true: go again at once; false: cycle() already waited where it had to
  }
  PARLEY_LOG_INFO(kComponent, "", "worker_stopped");
}

}  // namespace parley::core::compliance
