#include "bench/phase_runner.hpp"

#include <boost/asio/co_spawn.hpp>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

namespace parley::bench {
namespace {

namespace asio = boost::asio;

// Shared by the workers (on the driver threads) and the controller.
struct PhaseState {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t workers_running = 0;
  std::size_t completed = 0;
  std::size_t failed = 0;
  std::string first_error;
  // Per thread: the next index to start (touched only by that thread's workers).
  std::vector<std::size_t> next;
};

asio::awaitable<void> worker(std::shared_ptr<PhaseState> state, std::size_t thread,
                             std::size_t threads, std::size_t end, PhaseStep step) {
  for (;;) {
    std::size_t index = 0;
    {
      std::lock_guard lock(state->mutex);
      if (state->failed > 0) break;
    }
    index = state->next[thread];
    if (index >= end) break;
    state->next[thread] += threads;
    std::string error;
    try {
      co_await step(index);
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::lock_guard lock(state->mutex);
    if (error.empty()) {
      ++state->completed;
    } else if (state->failed++ == 0) {
      state->first_error = error;
    }
  }
  std::lock_guard lock(state->mutex);
  --state->workers_running;
  state->changed.notify_all();
}

}  // namespace

PhaseResult run_phase(IoPool& pool, std::size_t first, std::size_t count, std::size_t concurrency,
                      std::chrono::milliseconds timeout, PhaseStep step) {
  const auto started = std::chrono::steady_clock::now();
  PhaseResult result;
  if (count == 0) return result;
  const std::size_t threads = pool.size();
  auto state = std::make_shared<PhaseState>();
  state->next.resize(threads);
  // The first index of each thread's share: index % threads == thread.
  for (std::size_t t = 0; t < threads; ++t) {
    state->next[t] = first + (threads + t - first % threads) % threads;
  }
  const std::size_t end = first + count;
  const std::size_t per_thread = std::max<std::size_t>(1, (concurrency + threads - 1) / threads);
  {
    std::lock_guard lock(state->mutex);
    for (std::size_t t = 0; t < threads; ++t) {
      const std::size_t share =
          state->next[t] < end ? (end - state->next[t] + threads - 1) / threads : 0;
      const std::size_t workers = std::min(per_thread, share);
      state->workers_running += workers;
      for (std::size_t w = 0; w < workers; ++w) {
        asio::co_spawn(pool.at(t).io, worker(state, t, threads, end, step),
                       [](std::exception_ptr) {});
      }
    }
  }
  std::unique_lock lock(state->mutex);
  const bool finished =
      state->changed.wait_for(lock, timeout, [&] { return state->workers_running == 0; });
  result.completed = state->completed;
  result.failed = state->failed;
  result.first_error = state->first_error;
  result.timed_out = !finished;
  fprintf(stderr, "DEBUG phase: finished=%d running=%zu completed=%zu failed=%zu timeout=%lld\n",
          finished, state->workers_running, state->completed, state->failed,
          (long long)timeout.count());
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace parley::bench
