#include "gateway/core/block_cache.hpp"

#include <algorithm>

namespace parley::core {

bool block_list_matches(const std::vector<model::Address>& items, const model::Address& address) {
  return std::any_of(items.begin(), items.end(), [&](const model::Address& item) {
    if (item.domain() != address.domain()) return false;
    if (item.local().empty())  // domain or domain/resource
      return item.resource().empty() || item.resource() == address.resource();
    if (item.local() != address.local()) return false;
    return item.resource().empty() || item.resource() == address.resource();
  });
}

BlockCache::BlockCache(std::size_t shards) {
  shards_.resize(std::max<std::size_t>(shards, 1));
  for (auto& shard : shards_) shard = std::make_unique<Shard>();
}

BlockCache::Shard& BlockCache::shard_for(const model::Address& user) const {
  return *shards_[model::AddressHash{}(user) % shards_.size()];
}

bool BlockCache::settled(const std::vector<model::Address>& users) const {
  for (const auto& user : users) {
    Shard& shard = shard_for(user);
    std::lock_guard lock(shard.mutex);
    auto it = shard.users.find(user);
    if (it == shard.users.end() || !it->second.loaded || it->second.in_flight > 0) return false;
  }
  return true;
}

void BlockCache::hold(const std::vector<model::Address>& users) {
  for (const auto& user : users) {
    Shard& shard = shard_for(user);
    std::lock_guard lock(shard.mutex);
    ++shard.users[user].in_flight;
  }
}

void BlockCache::release(const std::vector<model::Address>& users) {
  for (const auto& user : users) {
    Shard& shard = shard_for(user);
    std::lock_guard lock(shard.mutex);
    auto it = shard.users.find(user);
    if (it == shard.users.end()) continue;
    if (it->second.in_flight > 0) --it->second.in_flight;
    if (!it->second.loaded && it->second.in_flight == 0) shard.users.erase(it);
  }
}

void BlockCache::set(const model::Address& user, std::vector<model::Address> items) {
  Shard& shard = shard_for(user);
  std::lock_guard lock(shard.mutex);
  Entry& entry = shard.users[user];
  entry.loaded = true;
  entry.items = std::move(items);
}

std::optional<std::vector<model::Address>> BlockCache::get(const model::Address& user) const {
  Shard& shard = shard_for(user);
  std::lock_guard lock(shard.mutex);
  auto it = shard.users.find(user);
  if (it == shard.users.end() || !it->second.loaded) return std::nullopt;
  return it->second.items;
}

bool BlockCache::blocks(const model::Address& user, const model::Address& address) const {
  Shard& shard = shard_for(user);
  std::lock_guard lock(shard.mutex);
  auto it = shard.users.find(user);
  if (it == shard.users.end() || !it->second.loaded) return false;
  return block_list_matches(it->second.items, address);
}

std::optional<bool> BlockCache::settled_match(const model::Address& user,
                                              const model::Address& address) const {
  Shard& shard = shard_for(user);
  std::lock_guard lock(shard.mutex);
  auto it = shard.users.find(user);
  if (it == shard.users.end() || !it->second.loaded || it->second.in_flight > 0)
    return std::nullopt;
  return block_list_matches(it->second.items, address);
}

std::optional<BlockCache::Verdict> BlockCache::verdict(const model::Address& sender,
                                                       const model::Address& from,
                                                       const model::Address& recipient,
                                                       const model::Address& to) const {
  auto outbound = settled_match(sender, to);
  if (!outbound) return std::nullopt;
  auto inbound = settled_match(recipient, from);
  if (!inbound) return std::nullopt;
  return Verdict{*outbound, *inbound};
}

void BlockCache::forget(const model::Address& user) {
  Shard& shard = shard_for(user);
  std::lock_guard lock(shard.mutex);
  auto it = shard.users.find(user);
  if (it == shard.users.end()) return;
  if (it->second.in_flight > 0) {
    it->second.loaded = false;
    it->second.items.clear();
  } else {
    shard.users.erase(it);
  }
}

}  // namespace parley::core
