#include "gateway/core/endpoint_table.hpp"

#include <algorithm>

namespace parley::core {

EndpointTable::EndpointTable(std::size_t shards) {
  shards_.resize(std::max<std::size_t>(shards, 1));
  for (auto& shard : shards_) shard = std::make_unique<Shard>();
}

EndpointTable::Shard& EndpointTable::shard_for(const model::Address& bare) const {
  return *shards_[model::AddressHash{}(bare) % shards_.size()];
}

EndpointTable::Slot* EndpointTable::find_slot(Account& account, const model::Address& full) {
  for (auto& slot : account)
    if (slot.view.full == full) return &slot;
  return nullptr;
}

BindResult EndpointTable::bind(const api::SessionInfo& info,
                               std::shared_ptr<api::Endpoint> endpoint,
                               std::size_t max_per_account) {
  BindResult result;
  if (!endpoint || info.full.empty() || !info.full.is_full() || info.full.local().empty()) {
    result.error = model::StanzaError::make(model::ErrorCondition::bad_request,
                                            "bind needs a full user address and an endpoint");
    return result;
  }
  const model::Address bare = info.full.bare();
  Shard& shard = shard_for(bare);
  std::lock_guard lock(shard.mutex);
  Account& account = shard.accounts[bare];
  auto same = std::find_if(account.begin(), account.end(),
                           [&](const Slot& s) { return s.view.full == info.full; });
  // RFC 6120 §7.7.2.2: the new session overrides the old one, so it does not count.
  const std::size_t others = account.size() - (same == account.end() ? 0 : 1);
  if (others >= max_per_account) {
    if (account.empty()) shard.accounts.erase(bare);
    result.error = model::StanzaError::make(model::ErrorCondition::resource_constraint,
                                            "too many sessions for this account");
    return result;
  }
  if (same != account.end()) {
    result.replaced = RemovedEndpoint{same->view, {same->directed.begin(), same->directed.end()}};
    account.erase(same);
  }
  Slot slot;
  slot.view.full = info.full;
  slot.view.endpoint = std::move(endpoint);
  slot.view.protocol = info.protocol;
  account.push_back(std::move(slot));
  return result;
}

std::optional<RemovedEndpoint> EndpointTable::unbind(const model::Address& full,
                                                     const api::Endpoint* endpoint) {
  const model::Address bare = full.bare();
  Shard& shard = shard_for(bare);
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(bare);
  if (it == shard.accounts.end()) return std::nullopt;
  Account& account = it->second;
  auto slot = std::find_if(account.begin(), account.end(), [&](const Slot& s) {
    return s.view.full == full && (endpoint == nullptr || s.view.endpoint.get() == endpoint);
  });
  if (slot == account.end()) return std::nullopt;
  RemovedEndpoint removed{std::move(slot->view), {slot->directed.begin(), slot->directed.end()}};
  account.erase(slot);
  if (account.empty()) shard.accounts.erase(it);
  return removed;
}

bool EndpointTable::set_flags(const model::Address& full, api::EndpointFlags flags) {
  Shard& shard = shard_for(full.bare());
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(full.bare());
  if (it == shard.accounts.end()) return false;
  Slot* slot = find_slot(it->second, full);
  if (slot == nullptr) return false;
  slot->view.flags = flags;
  return true;
}

bool EndpointTable::is_bound(const model::Address& full) const {
  return find(full).has_value();
}

bool EndpointTable::holds(const model::Address& full, const api::Endpoint* endpoint) const {
  Shard& shard = shard_for(full.bare());
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(full.bare());
  if (it == shard.accounts.end()) return false;
  for (const auto& slot : it->second)
    if (slot.view.full == full) return slot.view.endpoint.get() == endpoint;
  return false;
}

std::optional<EndpointView> EndpointTable::find(const model::Address& full) const {
  if (!full.is_full()) return std::nullopt;
  Shard& shard = shard_for(full.bare());
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(full.bare());
  if (it == shard.accounts.end()) return std::nullopt;
  for (const auto& slot : it->second)
    if (slot.view.full == full) return slot.view;
  return std::nullopt;
}

std::vector<EndpointView> EndpointTable::views_of(const model::Address& bare,
                                                  bool (*keep)(const EndpointView&)) const {
  std::vector<EndpointView> views;
  Shard& shard = shard_for(bare);
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(bare);
  if (it == shard.accounts.end()) return views;
  for (const auto& slot : it->second)
    if (keep(slot.view)) views.push_back(slot.view);
  return views;
}

std::vector<EndpointView> EndpointTable::endpoints_of(const model::Address& bare) const {
  return views_of(bare, [](const EndpointView&) { return true; });
}

std::vector<EndpointView> EndpointTable::available_of(const model::Address& bare) const {
  return views_of(bare, [](const EndpointView& view) { return view.available; });
}

std::vector<EndpointView> EndpointTable::carbon_receivers_of(const model::Address& bare) const {
  return views_of(bare,
                  [](const EndpointView& view) { return view.available && view.flags.carbons; });
}

bool EndpointTable::has_available(const model::Address& bare, bool non_negative_only) const {
  Shard& shard = shard_for(bare);
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(bare);
  if (it == shard.accounts.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](const Slot& s) {
    return s.view.available && (!non_negative_only || s.view.priority >= 0);
  });
}

std::vector<EndpointView> EndpointTable::all() const {
  std::vector<EndpointView> views;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    for (const auto& [bare, account] : shard->accounts)
      for (const auto& slot : account) views.push_back(slot.view);
  }
  return views;
}

PresenceUpdate EndpointTable::set_available(const model::Address& full,
                                            std::shared_ptr<const model::Presence> presence) {
  PresenceUpdate update;
  Shard& shard = shard_for(full.bare());
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(full.bare());
  if (it == shard.accounts.end()) return update;
  Slot* slot = find_slot(it->second, full);
  if (slot == nullptr) return update;
  update.found = true;
  update.was_available = slot->view.available;
  update.endpoint = slot->view.endpoint;
  slot->view.available = true;
  slot->view.priority = presence->priority;
  slot->view.presence = std::move(presence);
  if (slot->view.priority >= 0 && !slot->offline_flushed) {
    slot->offline_flushed = true;
    update.flush_offline = true;
  }
  return update;
}

PresenceUpdate EndpointTable::set_unavailable(const model::Address& full,
                                              std::shared_ptr<const model::Presence> presence) {
  PresenceUpdate update;
  Shard& shard = shard_for(full.bare());
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(full.bare());
  if (it == shard.accounts.end()) return update;
  Slot* slot = find_slot(it->second, full);
  if (slot == nullptr) return update;
  update.found = true;
  update.was_available = slot->view.available;
  update.endpoint = slot->view.endpoint;
  slot->view.available = false;
  slot->view.presence = std::move(presence);
  update.directed.assign(slot->directed.begin(), slot->directed.end());
  slot->directed.clear();
  return update;
}

void EndpointTable::add_directed(const model::Address& full, const model::Address& recipient) {
  Shard& shard = shard_for(full.bare());
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(full.bare());
  if (it == shard.accounts.end()) return;
  if (Slot* slot = find_slot(it->second, full)) slot->directed.insert(recipient);
}

void EndpointTable::remove_directed(const model::Address& full, const model::Address& recipient) {
  Shard& shard = shard_for(full.bare());
  std::lock_guard lock(shard.mutex);
  auto it = shard.accounts.find(full.bare());
  if (it == shard.accounts.end()) return;
  if (Slot* slot = find_slot(it->second, full)) slot->directed.erase(recipient);
}

}  // namespace parley::core
