#pragma once
// CpuWorkPool: the api::CpuWork of the daemon. A few threads of their own, below the io
// threads in priority (a higher nice value), so that with every core busy the message path
// still comes first. The queue is bounded: a flood of PLAIN logins or registrations waits its
// turn there up to `max_queued`, then is refused (the caller answers "try again later")
// instead of growing memory and everyone's wait without bound.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "gateway/api/cpu_work.hpp"

namespace parley::core {

class CpuWorkPool final : public api::CpuWork {
 public:
  struct Limits {
    unsigned threads = 1;
    std::size_t max_queued = 1024;  // waiting, not counting the jobs that are running
    int nice = 5;                   // added to the process's; 0 keeps the io threads' priority
  };
  explicit CpuWorkPool(Limits limits);
  ~CpuWorkPool() override;  // stop()
  CpuWorkPool(const CpuWorkPool&) = delete;
  CpuWorkPool& operator=(const CpuWorkPool&) = delete;

  bool submit(std::function<void()> work) override;
  // Refuses new work, lets the running jobs finish, drops the queued ones (they are destroyed
  // without running) and joins the threads. Idempotent.
  void stop();

  std::size_t queued() const;

 private:
  void run_worker();

  const Limits limits_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace parley::core
