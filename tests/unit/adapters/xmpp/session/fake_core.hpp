#pragma once
// FakeCore: an api::Core that records what the session hands it and lets tests deliver to the
// bound endpoints. Thread-safe; tests wait on conditions with a bounded timeout.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "gateway/api/core.hpp"

namespace parley::xmpp::test {

class FakeCore final : public api::Core {
 public:
  std::optional<model::StanzaError> bind(const api::SessionInfo& info,
                                         std::shared_ptr<api::Endpoint> endpoint) override {
    std::shared_ptr<api::Endpoint> replaced;
    {
      std::lock_guard lock(mutex_);
      if (bind_error) return bind_error;
      auto& slot = endpoints_[info.full];
      replaced = std::exchange(slot, endpoint);
      binds.push_back(info);
    }
    // RFC 6120 §7.7.2.2 override: the old session is told to go.
    if (replaced) replaced->deliver(api::CloseRequest{api::CloseReason::conflict});
    changed_.notify_all();
    return std::nullopt;
  }
  void unbind(const model::Address& full, const api::Endpoint* endpoint) override {
    {
      std::lock_guard lock(mutex_);
      auto it = endpoints_.find(full);
      if (it != endpoints_.end() && it->second.get() == endpoint) endpoints_.erase(it);
      unbinds.push_back(full);
    }
    changed_.notify_all();
  }
  void set_flags(const model::Address& full, api::EndpointFlags f) override {
    {
      std::lock_guard lock(mutex_);
      flags[full] = f;
    }
    changed_.notify_all();
  }
  bool is_bound(const model::Address& full) const override {
    std::lock_guard lock(mutex_);
    return endpoints_.count(full) != 0;
  }
  void send_message(model::Message message) override {
    {
      std::lock_guard lock(mutex_);
      messages.push_back(std::move(message));
    }
    changed_.notify_all();
  }
  void send_presence(model::Presence presence) override {
    {
      std::lock_guard lock(mutex_);
      presences.push_back(std::move(presence));
    }
    changed_.notify_all();
  }
  void roster_get(const model::Address&, std::function<void(api::RosterSnapshot)> done) override {
    done(api::RosterSnapshot{});
  }
  void roster_set(const model::Address&, model::RosterItem, api::ErrorCallback done) override {
    done(std::nullopt);
  }
  void roster_remove(const model::Address&, const model::Address&,
                     api::ErrorCallback done) override {
    done(std::nullopt);
  }
  void block_list(const model::Address&,
                  std::function<void(std::vector<model::Address>)> done) override {
    done({});
  }
  void block(const model::Address&, std::vector<model::Address>, api::ErrorCallback done) override {
    done(std::nullopt);
  }
  void unblock(const model::Address&, std::vector<model::Address>,
               api::ErrorCallback done) override {
    done(std::nullopt);
  }
  void send_opaque(api::OpaqueDelivery stanza, api::ErrorCallback done) override {
    std::shared_ptr<api::Endpoint> target;
    {
      std::lock_guard lock(mutex_);
      opaques.push_back(stanza);
      if (auto it = endpoints_.find(stanza.to); it != endpoints_.end()) target = it->second;
    }
    changed_.notify_all();
    if (target) {
      target->deliver(std::move(stanza));
      done(std::nullopt);
    } else {
      done(model::StanzaError::make(model::ErrorCondition::service_unavailable));
    }
  }
  bool account_exists(const model::Address&) const override { return true; }

  // ---- test side ----
  std::shared_ptr<api::Endpoint> endpoint(const model::Address& full) const {
    std::lock_guard lock(mutex_);
    auto it = endpoints_.find(full);
    return it == endpoints_.end() ? nullptr : it->second;
  }
  std::size_t bound_count() const {
    std::lock_guard lock(mutex_);
    return endpoints_.size();
  }
  // Waits until pred() (called under the lock) holds.
  bool wait(const std::function<bool()>& pred,
            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, pred);
  }
  template <class F>
  auto locked(F&& f) {
    std::lock_guard lock(mutex_);
    return f();
  }

  // Recorded (read under locked() or after a wait()).
  std::optional<model::StanzaError> bind_error;
  std::vector<api::SessionInfo> binds;
  std::vector<model::Address> unbinds;
  std::map<model::Address, api::EndpointFlags> flags;
  std::vector<model::Message> messages;
  std::vector<model::Presence> presences;
  std::vector<api::OpaqueDelivery> opaques;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<model::Address, std::shared_ptr<api::Endpoint>> endpoints_;
};

}  // namespace parley::xmpp::test
