#include "bench/io_pool.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>

#include "bench/run_report.hpp"

namespace parley::bench {

IoPool::IoPool(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i) {
    auto t = std::make_unique<IoThread>();
    t->guard.emplace(t->io.get_executor());
    IoThread* raw = t.get();  // owned by threads_, joined in stop() before it goes away
    t->thread = std::thread([raw] { raw->io.run(); });
    threads_.push_back(std::move(t));
  }
}

IoPool::~IoPool() {
  stop();
}

void IoPool::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& t : threads_) {
    t->guard.reset();
    t->io.stop();
  }
  for (auto& t : threads_) {
    if (t->thread.joinable()) t->thread.join();
  }
}

std::vector<std::chrono::nanoseconds> IoPool::thread_cpu_times() const {
  std::vector<std::chrono::nanoseconds> times;
  for (const auto& t : threads_) {
    clockid_t clock{};
    timespec ts{};
    auto handle = const_cast<std::thread&>(t->thread).native_handle();
    if (pthread_getcpuclockid(handle, &clock) != 0 || clock_gettime(clock, &ts) != 0) {
      times.emplace_back(0);
      continue;
    }
    times.emplace_back(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
  return times;
}

std::chrono::nanoseconds process_cpu_time() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto to_ns = [](const timeval& tv) {
    return std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
  };
  return to_ns(usage.ru_utime) + to_ns(usage.ru_stime);
}

void CpuMeter::start() {
  wall_start_ = std::chrono::steady_clock::now();
  process_start_ = process_cpu_time();
  thread_start_ = pool_.thread_cpu_times();
  ticks_start_ = read_cpu_ticks();
}

CpuMeter::Result CpuMeter::finish() const {
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  Result result;
  if (wall <= 0) return result;
  const double process = std::chrono::duration<double>(process_cpu_time() - process_start_).count();
  result.cpu_pct_per_thread = process / wall / static_cast<double>(pool_.size()) * 100.0;
  const auto now = pool_.thread_cpu_times();
  for (std::size_t i = 0; i < now.size() && i < thread_start_.size(); ++i) {
    const double busy = std::chrono::duration<double>(now[i] - thread_start_[i]).count();
    result.max_thread_busy_pct = std::max(result.max_thread_busy_pct, busy / wall * 100.0);
  }
  result.driver_bound = result.max_thread_busy_pct >= kDriverBoundBusyPct;
  const auto ticks = read_cpu_ticks();
  if (ticks_start_ && ticks) result.host_steal_pct = steal_pct(*ticks_start_, *ticks);
  return result;
}

}  // namespace parley::bench
