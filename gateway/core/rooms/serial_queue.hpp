#pragma once
// SerialQueue: a strand without Asio. Tasks posted to one queue run one at a time, in post
// order; different queues run in parallel. Each room has one, so a busy room never stalls
// another and no lock is held across rooms.
//
// Who runs the tasks: with a Dispatcher (parleyd passes "post to the io_context"), a drain is
// handed to it and runs at most `drain_budget` tasks before handing itself over again, so one
// room cannot monopolise a thread. Without one, the thread that finds the queue idle drains it
// inline. Re-entrant posts (a task posting to its own queue) never recurse: they queue.
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace parley::core::rooms {

using Task = std::function<void()>;
using Dispatcher = std::function<void(Task)>;

struct SerialQueueLimits {
  std::size_t max_queued = 10000;  // try_post refuses beyond this
  std::size_t drain_budget = 64;   // tasks per dispatch (with a dispatcher)
};

class SerialQueue : public std::enable_shared_from_this<SerialQueue> {
 public:
  static std::shared_ptr<SerialQueue> create(Dispatcher dispatcher, SerialQueueLimits limits);

  // For requests from outside: false (and the task dropped) when max_queued tasks wait.
  bool try_post(Task task);
  // For continuations that must not be lost (fan-out after a commit, leaves): never refused.
  // They are bounded by what caused them (bounded posts and joins).
  void post(Task task);

  std::size_t queued() const;

 private:
  SerialQueue(Dispatcher dispatcher, SerialQueueLimits limits);
  bool enqueue(Task task, std::size_t limit);
  void schedule();
  void drain(std::size_t budget);

  const Dispatcher dispatcher_;
  const SerialQueueLimits limits_;
  mutable std::mutex mutex_;
  std::deque<Task> tasks_;
  bool running_ = false;  // a drain is scheduled or running
};

}  // namespace parley::core::rooms
