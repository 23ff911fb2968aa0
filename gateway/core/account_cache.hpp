#pragma once
// The set of known local accounts, sharded like the endpoint table so the message path never
// takes a global lock. Filled from the AccountStore at start and on every bind; a miss is not
// an answer: the router asks the store before it reports service-unavailable.
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "mapping/model/address.hpp"

namespace parley::core {

class AccountCache {
 public:
  explicit AccountCache(std::size_t shards);
  bool contains(const model::Address& bare) const;
  void insert(const model::Address& bare);
  void erase(const model::Address& bare);
  void insert_all(const std::vector<model::Address>& bares);
  std::vector<model::Address> all() const;  // a snapshot, for reconciling with the store

 private:
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_set<model::Address, model::AddressHash> accounts;
  };
  Shard& shard_for(const model::Address& bare) const;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace parley::core
