#pragma once
// PresenceWatch: presence without a roster subscription. Some adapters have a presence policy
// of their own beside RFC 6121's roster rule: Lync/SIP's organisation policy lets colleagues of
// one domain see each other without a request (docs/sip.md). The adapter decides that a watch
// is allowed; the core then treats the watcher endpoint like a subscriber of the target: it
// gets the target's current presence at once and every later broadcast, until it unwatches or
// unbinds.
//
// Threading: thread-safe (one mutex; deliveries happen after it is released). Bounded: at most
// max_watches_per_watcher targets per watcher endpoint.
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "gateway/core/core_context.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/presence.hpp"

namespace parley::core {

class PresenceWatch {
 public:
  static constexpr std::size_t kMaxWatchesPerWatcher = 10000;

  explicit PresenceWatch(CoreContext& ctx) : ctx_(ctx) {}

  // `watcher_full` must be bound; false when it is not or its limit is reached. Delivers the
  // target's current presence (each available resource) or unavailable from its bare address.
  bool watch(const model::Address& watcher_full, const model::Address& target);
  void unwatch(const model::Address& watcher_full, const model::Address& target);

  // A broadcast (no 'to') available/unavailable presence was sent by presence.from.
  void on_broadcast(const model::Presence& presence);
  // An endpoint left the table: it no longer watches, and if it was available its watchers
  // learn it is gone.
  void on_removed(const model::Address& full, bool was_available);

 private:
  std::vector<model::Address> watchers_of(const model::Address& target) const;
  void deliver(const std::vector<model::Address>& watchers,
               std::shared_ptr<const model::Presence> presence);

  CoreContext& ctx_;
  mutable std::mutex mutex_;
  std::map<model::Address, std::set<model::Address>> by_target_;   // target bare -> watchers
  std::map<model::Address, std::set<model::Address>> by_watcher_;  // watcher full -> targets
};

}  // namespace parley::core
