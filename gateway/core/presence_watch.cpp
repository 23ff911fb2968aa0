#include "gateway/core/presence_watch.hpp"

#include "gateway/core/fanout.hpp"

namespace parley::core {

bool PresenceWatch::watch(const model::Address& watcher_full, const model::Address& target) {
  const model::Address bare = target.bare();
  if (!ctx_.endpoints.is_bound(watcher_full) || bare.local().empty()) return false;
  {
    std::lock_guard lock(mutex_);
    auto& targets = by_watcher_[watcher_full];
    if (!targets.contains(bare) && targets.size() >= kMaxWatchesPerWatcher) return false;
    targets.insert(bare);
    by_target_[bare].insert(watcher_full);
  }
  auto self = ctx_.endpoints.find(watcher_full);
  if (!self) return false;
  const std::vector<EndpointView> me{*self};
  if (ctx_.endpoints.available_of(bare).empty()) {
    // Like a probe answer for an offline contact (RFC 6121 §4.3.2): unavailable, bare 'from'.
    self->endpoint->deliver(
        api::PresenceDelivery{make_presence(bare, watcher_full, model::PresenceType::unavailable)});
  } else {
    send_presences_of(ctx_, bare, me);
  }
  return true;
}

void PresenceWatch::unwatch(const model::Address& watcher_full, const model::Address& target) {
  const model::Address bare = target.bare();
  std::lock_guard lock(mutex_);
  if (auto it = by_watcher_.find(watcher_full); it != by_watcher_.end()) {
    it->second.erase(bare);
    if (it->second.empty()) by_watcher_.erase(it);
  }
  if (auto it = by_target_.find(bare); it != by_target_.end()) {
    it->second.erase(watcher_full);
    if (it->second.empty()) by_target_.erase(it);
  }
}

std::vector<model::Address> PresenceWatch::watchers_of(const model::Address& target) const {
  std::lock_guard lock(mutex_);
  auto it = by_target_.find(target.bare());
  if (it == by_target_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

void PresenceWatch::deliver(const std::vector<model::Address>& watchers,
                            std::shared_ptr<const model::Presence> presence) {
  for (const auto& watcher : watchers)
    if (auto view = ctx_.endpoints.find(watcher))
      view->endpoint->deliver(api::PresenceDelivery{presence});
}

void PresenceWatch::on_broadcast(const model::Presence& presence) {
  if (!presence.to.empty()) return;
  if (presence.type != model::PresenceType::available &&
      presence.type != model::PresenceType::unavailable)
    return;
  auto watchers = watchers_of(presence.from);
  if (watchers.empty()) return;
  // Only what the presence service accepted: the sender must be bound.
  if (!ctx_.endpoints.is_bound(presence.from)) return;
  deliver(watchers, std::make_shared<const model::Presence>(presence));
}

void PresenceWatch::on_removed(const model::Address& full, bool was_available) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_watcher_.find(full); it != by_watcher_.end()) {
      for (const auto& target : it->second) {
        auto t = by_target_.find(target);
        if (t == by_target_.end()) continue;
        t->second.erase(full);
        if (t->second.empty()) by_target_.erase(t);
      }
      by_watcher_.erase(it);
    }
  }
  if (!was_available) return;
  auto watchers = watchers_of(full);
  if (!watchers.empty())
    deliver(watchers, make_presence(full, {}, model::PresenceType::unavailable));
}

}  // namespace parley::core
