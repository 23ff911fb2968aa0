#include "gateway/core/account_cache.hpp"

#include <algorithm>

namespace parley::core {

AccountCache::AccountCache(std::size_t shards) {
  shards_.resize(std::max<std::size_t>(shards, 1));
  for (auto& shard : shards_) shard = std::make_unique<Shard>();
}

AccountCache::Shard& AccountCache::shard_for(const model::Address& bare) const {
  return *shards_[model::AddressHash{}(bare) % shards_.size()];
}

bool AccountCache::contains(const model::Address& bare) const {
  Shard& shard = shard_for(bare);
  std::lock_guard lock(shard.mutex);
  return shard.accounts.contains(bare);
}

void AccountCache::insert(const model::Address& bare) {
  Shard& shard = shard_for(bare);
  std::lock_guard lock(shard.mutex);
  shard.accounts.insert(bare);
}

void AccountCache::erase(const model::Address& bare) {
  Shard& shard = shard_for(bare);
  std::lock_guard lock(shard.mutex);
  shard.accounts.erase(bare);
}

void AccountCache::insert_all(const std::vector<model::Address>& bares) {
  for (const auto& bare : bares) insert(bare);
}

std::vector<model::Address> AccountCache::all() const {
  std::vector<model::Address> result;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    result.insert(result.end(), shard->accounts.begin(), shard->accounts.end());
  }
  return result;
}

}  // namespace parley::core
