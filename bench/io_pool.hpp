#pragma once
// The driver's threads: one io_context per thread (--threads), each with its own read buffer.
// A connection lives on one thread for its whole life, so its state needs no locking; the
// controlling (main) thread only posts work and reads atomics.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "bench/proc_status.hpp"

namespace parley::bench {

struct IoThread {
  boost::asio::io_context io{1};
  // Shared by every connection of this thread: a read goes into it and straight into the
  // connection's parser, so an idle connection holds no read buffer.
  std::array<char, 64 * 1024> read_buffer{};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  std::thread thread;
};

class IoPool {
 public:
  explicit IoPool(std::size_t threads);
  ~IoPool();  // stops and joins
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  std::size_t size() const { return threads_.size(); }
  IoThread& at(std::size_t index) { return *threads_[index]; }
  // Stops every io_context (pending handlers are dropped) and joins the threads.
  void stop();
  // CPU time each thread has consumed so far (CLOCK_THREAD_CPUTIME_ID of that thread).
  std::vector<std::chrono::nanoseconds> thread_cpu_times() const;

 private:
  std::vector<std::unique_ptr<IoThread>> threads_;
  bool stopped_ = false;
};

// Process CPU (user + system) so far, from getrusage(RUSAGE_SELF).
std::chrono::nanoseconds process_cpu_time();

// Driver load over an interval: start() at its beginning, finish() at its end.
class CpuMeter {
 public:
  explicit CpuMeter(const IoPool& pool) : pool_(pool) {}
  void start();
  struct Result {
    double cpu_pct_per_thread = 0;  // process CPU / wall / threads × 100
    double max_thread_busy_pct = 0;
    bool driver_bound = false;
    // The machine's CPU time stolen by the hypervisor over the interval (nullopt: unknown).
    // A VM short of its CPUs measures less throughput and longer tails than it would have.
    std::optional<double> host_steal_pct;
  };
  Result finish() const;

 private:
  const IoPool& pool_;
  std::chrono::steady_clock::time_point wall_start_;
  std::chrono::nanoseconds process_start_{};
  std::vector<std::chrono::nanoseconds> thread_start_;
  std::optional<CpuTicks> ticks_start_;
};

}  // namespace parley::bench
