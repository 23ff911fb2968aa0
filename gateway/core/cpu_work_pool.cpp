#include "gateway/core/cpu_work_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <utility>

#include "gateway/log/log.hpp"

namespace parley::core {

namespace {

// Linux keeps a nice value per thread: setpriority() on the thread id changes this thread
// only (the POSIX "process" meaning does not hold there, which is what makes this work).
void lower_this_thread_priority(int nice) {
  if (nice == 0) return;
  const auto tid = static_cast<id_t>(::gettid());
  errno = 0;
  const int current = ::getpriority(PRIO_PROCESS, tid);
  if (current == -1 && errno != 0) return;
  if (::setpriority(PRIO_PROCESS, tid, std::clamp(current + nice, -20, 19)) != 0) {
    PARLEY_LOG_WARN("core", "", "cpu_work_priority_failed", {{"error", std::strerror(errno)}});
  }
}

}  // namespace

CpuWorkPool::CpuWorkPool(Limits limits) : limits_(limits) {
  const unsigned count = std::max(1u, limits_.threads);
  threads_.reserve(count);
  for (unsigned i = 0; i < count; ++i) threads_.emplace_back([this] { run_worker(); });
}

CpuWorkPool::~CpuWorkPool() {
  stop();
}

bool CpuWorkPool::submit(std::function<void()> work) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= limits_.max_queued) return false;
    queue_.push_back(std::move(work));
  }
  wake_.notify_one();
  return true;
}

void CpuWorkPool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  // `dropped` is destroyed here, outside the lock: a job's captures may take locks of their own.
}

std::size_t CpuWorkPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void CpuWorkPool::run_worker() {
  lower_this_thread_priority(limits_.nice);
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    // A job that throws is a bug in that job; the pool's threads go on serving the others.
    try {
      work();
    } catch (const std::exception& e) {
      PARLEY_LOG_ERROR("core", "", "cpu_work_exception", {{"error", e.what()}});
    } catch (...) {
      PARLEY_LOG_ERROR("core", "", "cpu_work_exception", {{"error", "unknown exception"}});
    }
  }
}

}  // namespace parley::core
