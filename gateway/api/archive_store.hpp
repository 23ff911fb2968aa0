#pragma once
// ArchiveStore: the persistent side of the 1:1 message archives (XEP-0313 user archives), model
// types in and out, no SQL. Blocking; only ever called on the store thread, reached through
// ArchiveStoreExecutor, whose StoreArchiveJobs adapter (below) runs archive jobs as ordinary
// StoreJobs on the one StoreExecutor, so archive writes share the group commit.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/api/message_archive.hpp"
#include "gateway/api/store_executor.hpp"

namespace parley::api {

enum class ArchiveDirection { incoming, outgoing };

// One row of one owner's archive.
struct ArchiveEntry {
  model::Address owner;  // bare: whose archive
  model::Address with;   // the other party as on the stanza (full or bare)
  ArchiveDirection direction = ArchiveDirection::incoming;
  std::shared_ptr<const model::Message> message;  // id = message->stanza_id
};

// A slice of one owner's archive, ordered by (stamp, insertion). after/before are archive ids
// (exclusive bounds); start/end are inclusive.
struct ArchiveRange {
  model::Address owner;
  std::optional<model::Address> with;  // bare: any resource; full: exactly that one
  std::optional<model::Timestamp> start;
  std::optional<model::Timestamp> end;
  std::optional<std::string> after_id;
  std::optional<std::string> before_id;
  std::size_t limit = 50;
  model::HistoryOrder order = model::HistoryOrder::oldest_first;
};

struct ArchiveSlice {
  std::vector<ArchivedMessage> messages;  // always oldest first
  bool complete = true;                   // nothing more in the paging direction
  bool unknown_id = false;                // after_id / before_id is not in this archive
};

class ArchiveStore {
 public:
  virtual ~ArchiveStore() = default;
  // Appends every entry whose owner is an account; entries already archived (same owner and
  // id) and entries of unknown owners are skipped. Returns how many rows were written.
  virtual std::size_t append(const std::vector<ArchiveEntry>& entries) = 0;
  virtual ArchiveSlice slice(const ArchiveRange& range) = 0;
};

struct ArchiveStoreJob {
  std::function<void(ArchiveStore&)> work;
  // Same contract as StoreJob::done: after COMMIT, on the store thread, in submission order.
  std::function<void(bool committed, const std::string& error)> done;
  std::chrono::milliseconds may_wait{0};  // as StoreJob::may_wait
};

class ArchiveStoreExecutor {
 public:
  virtual ~ArchiveStoreExecutor() = default;
  virtual void submit(ArchiveStoreJob job) = 0;  // thread-safe; returns at once
};

// The wiring adapter: archive jobs become StoreJobs on the shared executor. `store` must only
// be touched on the store thread and must outlive every job submitted here.
class StoreArchiveJobs final : public ArchiveStoreExecutor {
 public:
  StoreArchiveJobs(StoreExecutor& executor, ArchiveStore& store)
      : executor_(executor), store_(store) {}

  void submit(ArchiveStoreJob job) override {
    executor_.submit(StoreJob{[store = &store_, work = std::move(job.work)](Stores&) {
                                if (work) work(*store);
                              },
                              std::move(job.done), job.may_wait});
  }

 private:
  StoreExecutor& executor_;
  ArchiveStore& store_;
};

}  // namespace parley::api
