#include "gateway/core/rooms/serial_queue.hpp"

#include <exception>
#include <limits>
#include <utility>

#include "gateway/log/log.hpp"

namespace parley::core::rooms {

std::shared_ptr<SerialQueue> SerialQueue::create(Dispatcher dispatcher, SerialQueueLimits limits) {
  return std::shared_ptr<SerialQueue>(new SerialQueue(std::move(dispatcher), limits));
}

SerialQueue::SerialQueue(Dispatcher dispatcher, SerialQueueLimits limits)
    : dispatcher_(std::move(dispatcher)), limits_(limits) {}

bool SerialQueue::try_post(Task task) {
  return enqueue(std::move(task), limits_.max_queued);
}

void SerialQueue::post(Task task) {
  enqueue(std::move(task), std::numeric_limits<std::size_t>::max());
}

std::size_t SerialQueue::queued() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

bool SerialQueue::enqueue(Task task, std::size_t limit) {
  {
    std::lock_guard lock(mutex_);
    if (tasks_.size() >= limit) return false;
    tasks_.push_back(std::move(task));
    if (running_) return true;  // the running drain will pick it up
    running_ = true;
  }
  schedule();
  return true;
}

void SerialQueue::schedule() {
  if (dispatcher_) {
    dispatcher_([self = shared_from_this()] { self->drain(self->limits_.drain_budget); });
  } else {
    drain(std::numeric_limits<std::size_t>::max());
  }
}

void SerialQueue::drain(std::size_t budget) {
  for (std::size_t ran = 0;; ++ran) {
    Task task;
    {
      std::lock_guard lock(mutex_);
      if (tasks_.empty()) {
        running_ = false;
        return;
      }
      if (ran == budget) break;  // yield the thread; running_ stays true for the next drain
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    try {
      task();
    } catch (const std::exception& e) {
      // A bug in one task must not wedge the room (running_ would stay true forever).
      PARLEY_LOG_ERROR("rooms", "", "room_task_threw", {{"error", e.what()}});
    } catch (...) {
      PARLEY_LOG_ERROR("rooms", "", "room_task_threw", {{"error", "unknown exception"}});
    }
  }
  schedule();
}

}  // namespace parley::core::rooms
