#pragma once
// The store executor: the one thread that talks to the database. Jobs queue up; the thread
// drains whatever is queued into one transaction (group commit), each job inside its own
// SAVEPOINT so a failing job rolls back alone; `done` runs only after COMMIT, on the store
// thread: callers post the continuation back to their own strand from there.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "gateway/api/stores.hpp"

namespace parley::api {

struct StoreJob {
  std::function<void(Stores&)> work;
  // committed == false: work threw (error says what) or the transaction failed to commit.
  std::function<void(bool committed, const std::string& error)> done;
  // How long the job may wait for more jobs to share its transaction (0: run as soon as the
  // thread is free). While only such jobs are queued the executor holds its commit until the
  // earliest of their deadlines; any other job ends the wait and takes them along, in order.
  // For writes nobody waits on (the message archive): one commit then carries thousands of
  // rows instead of dozens, and writes each touched page once.
  std::chrono::milliseconds may_wait{0};
};

class StoreExecutor {
 public:
  virtual ~StoreExecutor() = default;
  // Thread-safe; returns at once. Jobs run in submission order.
  virtual void submit(StoreJob job) = 0;
};

// Runs `work(Stores&) -> R` on the store thread and `done(std::optional<R>)` after the commit
// (nullopt on failure). `done` runs on the store thread: wrap it to post to your strand.
template <class R>
void run_on_store(StoreExecutor& executor, std::function<R(Stores&)> work,
                  std::function<void(std::optional<R>)> done) {
  auto result = std::make_shared<std::optional<R>>();
  executor.submit(
      StoreJob{[result, work = std::move(work)](Stores& stores) { result->emplace(work(stores)); },
               [result, done = std::move(done)](bool committed, const std::string&) {
                 if (!committed) result->reset();
                 if (done) done(std::move(*result));
               }});
}

}  // namespace parley::api
