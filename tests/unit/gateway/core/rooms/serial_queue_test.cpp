// SerialQueue: order, mutual exclusion, bounds, re-entrancy, fairness budget.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "gateway/core/rooms/serial_queue.hpp"
#include "tests/unit/gateway/core/rooms/rooms_test_support.hpp"

namespace parley::core::rooms {
namespace {

using testing::ThreadPool;

TEST(SerialQueue, InlineRunsInOrderAndReentrantPostsQueue) {
  auto queue = SerialQueue::create({}, {});
  std::vector<int> order;
  queue->post([&] {
    order.push_back(1);
    queue->post([&] { order.push_back(3); });  // queued, not run recursively
    order.push_back(2);
  });
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(queue->queued(), 0u);
}

TEST(SerialQueue, TryPostRefusesBeyondTheBound) {
  auto queue = SerialQueue::create({}, SerialQueueLimits{2, 64});
  int ran = 0;
  std::vector<bool> accepted;
  queue->post([&] {
    // While this task runs, posts wait in the queue.
    for (int i = 0; i < 4; ++i) accepted.push_back(queue->try_post([&] { ++ran; }));
    queue->post([&] { ++ran; });  // continuations are never refused
  });
  EXPECT_EQ(accepted, (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(ran, 3);
}

TEST(SerialQueue, ThrowingTaskDoesNotWedgeTheQueue) {
  auto queue = SerialQueue::create({}, {});
  bool ran = false;
  queue->post([] { throw std::runtime_error("bug"); });
  queue->post([&] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST(SerialQueue, TasksOfOneQueueNeverOverlapOnAPool) {
  ThreadPool pool(4);
  constexpr int kQueues = 8;
  constexpr int kTasks = 2000;
  std::vector<std::shared_ptr<SerialQueue>> queues;
  for (int i = 0; i < kQueues; ++i) {
    queues.push_back(SerialQueue::create(pool.dispatcher(), SerialQueueLimits{100000, 7}));
  }
  std::vector<std::atomic<int>> inside(kQueues);
  std::vector<std::vector<int>> seen(kQueues);
  std::atomic<int> overlaps{0};
  std::atomic<int> done{0};
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::thread> posters;
  for (int q = 0; q < kQueues; ++q) {
    posters.emplace_back([&, q] {
      for (int t = 0; t < kTasks; ++t) {
        queues[q]->post([&, q, t] {
          if (inside[q].fetch_add(1) != 0) ++overlaps;
          seen[q].push_back(t);  // unsynchronised on purpose: safe only if serial
          inside[q].fetch_sub(1);
          if (done.fetch_add(1) + 1 == kQueues * kTasks) {
            std::lock_guard lock(m);
            cv.notify_all();
          }
        });
      }
    });
  }
  for (auto& t : posters) t.join();
  std::unique_lock lock(m);
  ASSERT_TRUE(cv.wait_for(lock, testing::kWait, [&] { return done.load() == kQueues * kTasks; }));
  lock.unlock();
  EXPECT_EQ(overlaps.load(), 0);
  for (int q = 0; q < kQueues; ++q) {
    ASSERT_EQ(seen[q].size(), static_cast<std::size_t>(kTasks));
    for (int t = 0; t < kTasks; ++t) ASSERT_EQ(seen[q][t], t);
  }
}

}  // namespace
}  // namespace parley::core::rooms
