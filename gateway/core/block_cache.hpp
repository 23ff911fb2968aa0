#pragma once
// In-memory copy of the XEP-0191 block lists, sharded, loaded lazily per user.
//
// Ordering: a list that is not loaded is read through the store executor, whose jobs (and
// their `done` callbacks) run in submission order. While any such read for a user is in
// flight the user is "unsettled" and every message touching that user takes the store path
// too, so one sender's messages are never reordered by a cache fill.
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "mapping/model/address.hpp"

namespace parley::core {

// XEP-0191 §3 (with the JID matching rules of XEP-0016 §2.1): an item blocks `address` when it
// is the full address, its bare address, its domain/resource, or its domain.
bool block_list_matches(const std::vector<model::Address>& items, const model::Address& address);

class BlockCache {
 public:
  explicit BlockCache(std::size_t shards);

  // True when every user's list is loaded and no store read for it is in flight.
  bool settled(const std::vector<model::Address>& users) const;
  // Marks a store read in flight for each user; pair with release() after the continuation.
  void hold(const std::vector<model::Address>& users);
  void release(const std::vector<model::Address>& users);

  // Replaces the user's list (called from store-job continuations, in submission order).
  void set(const model::Address& user, std::vector<model::Address> items);
  std::optional<std::vector<model::Address>> get(const model::Address& user) const;
  // Does `user` block `address`? False when the list is not loaded.
  bool blocks(const model::Address& user, const model::Address& address) const;

  // Both directions of a 1:1 stanza at once, one lookup per party (the message path's fast
  // check): nullopt unless both parties' lists are settled (as settled()); otherwise whether
  // `sender` (bare) blocks `to` and whether `recipient` (bare) blocks `from`.
  struct Verdict {
    bool sender_blocks_recipient = false;
    bool recipient_blocks_sender = false;
  };
  std::optional<Verdict> verdict(const model::Address& sender, const model::Address& from,
                                 const model::Address& recipient, const model::Address& to) const;
  void forget(const model::Address& user);

 private:
  struct Entry {
    bool loaded = false;
    int in_flight = 0;
    std::vector<model::Address> items;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<model::Address, Entry, model::AddressHash> users;
  };
  Shard& shard_for(const model::Address& user) const;
  // Whether `user`'s settled list matches `address`; nullopt when it is not settled.
  std::optional<bool> settled_match(const model::Address& user,
                                    const model::Address& address) const;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace parley::core
