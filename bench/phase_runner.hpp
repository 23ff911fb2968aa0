#pragma once
// Runs one coroutine step per client index (connect + log in, register, log in and out...)
// with bounded concurrency, each on the index's driver thread (index % threads), and blocks
// the controlling thread until every step finished, one failed, or the timeout passed.
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "bench/io_pool.hpp"

namespace parley::bench {

struct PhaseResult {
  std::size_t completed = 0;
  std::size_t failed = 0;
  std::string first_error;
  bool timed_out = false;
  double seconds = 0;

  bool ok() const { return failed == 0 && !timed_out; }
};

using PhaseStep = std::function<boost::asio::awaitable<void>(std::size_t index)>;

// Steps for indices [first, first + count); at most `concurrency` run at once. After the
// first failure no new step starts.
PhaseResult run_phase(IoPool& pool, std::size_t first, std::size_t count, std::size_t concurrency,
                      std::chrono::milliseconds timeout, PhaseStep step);

}  // namespace parley::bench
