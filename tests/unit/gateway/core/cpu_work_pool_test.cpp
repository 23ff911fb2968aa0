// CpuWorkPool: work runs on its own threads, at a lower priority, with a bounded queue.
#include "gateway/core/cpu_work_pool.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace parley::core {
namespace {

using namespace std::chrono_literals;

// A job that blocks its worker until release() (so that the test controls what is running).
class Gate {
 public:
  std::function<void()> job() {
    return [this] {
      entered_.set_value();
      opened_.wait();
    };
  }
  void wait_entered() { ASSERT_EQ(entered_future_.wait_for(10s), std::future_status::ready); }
  void release() { open_.set_value(); }

 private:
  std::promise<void> entered_;
  std::future<void> entered_future_ = entered_.get_future();
  std::promise<void> open_;
  std::shared_future<void> opened_ = open_.get_future().share();
};

TEST(CpuWorkPool, RunsWorkOnAnotherThread) {
  CpuWorkPool pool({.threads = 2, .max_queued = 8, .nice = 0});
  std::promise<std::thread::id> ran_on;
  ASSERT_TRUE(pool.submit([&] { ran_on.set_value(std::this_thread::get_id()); }));
  auto ran = ran_on.get_future();
  ASSERT_EQ(ran.wait_for(10s), std::future_status::ready);
  EXPECT_NE(ran.get(), std::this_thread::get_id());
}

TEST(CpuWorkPool, WorkersRunBelowTheCallersPriority) {
  errno = 0;
  const int ours = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  ASSERT_FALSE(ours == -1 && errno != 0);
  CpuWorkPool pool({.threads = 1, .max_queued = 8, .nice = 5});
  std::promise<int> theirs;
  ASSERT_TRUE(pool.submit(
      [&] { theirs.set_value(::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()))); }));
  auto value = theirs.get_future();
  ASSERT_EQ(value.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(value.get(), std::min(ours + 5, 19));
  // Only the worker's thread changed: this one keeps its priority.
  EXPECT_EQ(::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())), ours);
}

TEST(CpuWorkPool, RefusesWorkBeyondTheQueueBound) {
  CpuWorkPool pool({.threads = 1, .max_queued = 2, .nice = 0});
  Gate gate;
  ASSERT_TRUE(pool.submit(gate.job()));
  gate.wait_entered();  // the one worker is busy: what follows waits in the queue
  std::atomic<int> ran{0};
  std::promise<void> second_done;
  EXPECT_TRUE(pool.submit([&] { ++ran; }));
  EXPECT_TRUE(pool.submit([&] {
    ++ran;
    second_done.set_value();
  }));
  EXPECT_FALSE(pool.submit([&] { ran += 100; }));  // refused: dropped, never runs
  EXPECT_EQ(pool.queued(), 2u);
  gate.release();
  ASSERT_EQ(second_done.get_future().wait_for(10s), std::future_status::ready);
  pool.stop();
  EXPECT_EQ(ran.load(), 2);
  // Once the queue has room again, work is accepted again (checked on a fresh pool: this one
  // is stopped).
  CpuWorkPool again({.threads = 1, .max_queued = 1, .nice = 0});
  std::promise<void> done;
  EXPECT_TRUE(again.submit([&] { done.set_value(); }));
  EXPECT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
}

TEST(CpuWorkPool, QueuedWorkRunsInOrderOnceAWorkerIsFree) {
  CpuWorkPool pool({.threads = 1, .max_queued = 8, .nice = 0});
  Gate gate;
  ASSERT_TRUE(pool.submit(gate.job()));
  gate.wait_entered();
  std::vector<int> order;
  std::promise<void> last;
  ASSERT_TRUE(pool.submit([&] { order.push_back(1); }));
  ASSERT_TRUE(pool.submit([&] { order.push_back(2); }));
  ASSERT_TRUE(pool.submit([&] {
    order.push_back(3);
    last.set_value();
  }));
  gate.release();
  ASSERT_EQ(last.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(pool.queued(), 0u);
}

TEST(CpuWorkPool, StopFinishesTheRunningJobDropsTheQueuedAndRefusesMore) {
  auto pool = std::make_unique<CpuWorkPool>(CpuWorkPool::Limits{.threads = 1, .max_queued = 8});
  Gate gate;
  std::atomic<bool> finished{false};
  ASSERT_TRUE(pool->submit([&, job = gate.job()] {
    job();
    finished = true;
  }));
  gate.wait_entered();
  // A queued job's captures are destroyed without it running.
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  std::atomic<bool> queued_ran{false};
  ASSERT_TRUE(pool->submit([&, token] { queued_ran = true; }));
  token.reset();
  std::thread stopper([&] { pool->stop(); });
  std::this_thread::sleep_for(50ms);  // stop() is waiting for the running job
  gate.release();
  stopper.join();
  EXPECT_TRUE(finished.load());
  EXPECT_FALSE(queued_ran.load());
  EXPECT_TRUE(watch.expired());
  EXPECT_FALSE(pool->submit([] {}));
  pool->stop();  // idempotent
}

TEST(CpuWorkPool, AThrowingJobDoesNotStopTheWorker) {
  CpuWorkPool pool({.threads = 1, .max_queued = 8, .nice = 0});
  ASSERT_TRUE(pool.submit([] { throw std::runtime_error("bad job"); }));
  std::promise<void> next;
  ASSERT_TRUE(pool.submit([&] { next.set_value(); }));
  EXPECT_EQ(next.get_future().wait_for(10s), std::future_status::ready);
}

}  // namespace
}  // namespace parley::core
