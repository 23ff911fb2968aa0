#pragma once
// The router's table of bound endpoints: sharded by bare address, one mutex per shard, no
// global lock. Every accessor returns copies (views), so callers deliver after the lock is
// released: Endpoint::deliver is never called while a shard lock is held.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "gateway/api/core.hpp"
#include "gateway/api/endpoint.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::core {

// A snapshot of one bound endpoint.
struct EndpointView {
  model::Address full;
  std::shared_ptr<api::Endpoint> endpoint;
  model::Protocol protocol = model::Protocol::xmpp;
  api::EndpointFlags flags;
  bool available = false;  // sent available presence and not since unavailable (RFC 6121 §4.1)
  std::int8_t priority = 0;
  std::shared_ptr<const model::Presence> presence;  // last broadcast presence, null if none
};

// An endpoint taken out of the table, with what its unavailable broadcast still needs.
struct RemovedEndpoint {
  EndpointView view;
  std::vector<model::Address> directed;  // RFC 6121 §4.6.3 directed-presence recipients
};

struct BindResult {
  std::optional<model::StanzaError> error;
  std::optional<RemovedEndpoint> replaced;  // the endpoint that had the same full address
};

struct PresenceUpdate {
  bool found = false;          // false: `full` is not bound
  bool was_available = false;  // false on an available update: this is initial presence
  bool flush_offline = false;  // first available presence with priority >= 0 (RFC 6121 §4.7.2.3)
  std::shared_ptr<api::Endpoint> endpoint;
  std::vector<model::Address> directed;  // unavailable: the recipients, now forgotten
};

class EndpointTable {
 public:
  explicit EndpointTable(std::size_t shards);

  BindResult bind(const api::SessionInfo& info, std::shared_ptr<api::Endpoint> endpoint,
                  std::size_t max_per_account);
  // Removes the entry at `full` if it still holds `endpoint` (nullptr: whatever it holds).
  std::optional<RemovedEndpoint> unbind(const model::Address& full, const api::Endpoint* endpoint);
  bool set_flags(const model::Address& full, api::EndpointFlags flags);

  bool is_bound(const model::Address& full) const;
  bool holds(const model::Address& full, const api::Endpoint* endpoint) const;
  std::optional<EndpointView> find(const model::Address& full) const;
  std::vector<EndpointView> endpoints_of(const model::Address& bare) const;
  std::vector<EndpointView> available_of(const model::Address& bare) const;
  // The available resources that enabled XEP-0280 carbons: usually none, and then nothing is
  // copied (every 1:1 message asks this for both parties).
  std::vector<EndpointView> carbon_receivers_of(const model::Address& bare) const;
  bool has_available(const model::Address& bare, bool non_negative_only) const;
  std::vector<EndpointView> all() const;

  PresenceUpdate set_available(const model::Address& full,
                               std::shared_ptr<const model::Presence> presence);
  PresenceUpdate set_unavailable(const model::Address& full,
                                 std::shared_ptr<const model::Presence> presence);
  void add_directed(const model::Address& full, const model::Address& recipient);
  void remove_directed(const model::Address& full, const model::Address& recipient);

 private:
  // Copies of the account's views that `keep` accepts, taken under the shard's lock.
  std::vector<EndpointView> views_of(const model::Address& bare,
                                     bool (*keep)(const EndpointView&)) const;

  struct Slot {
    EndpointView view;
    bool offline_flushed = false;
    std::set<model::Address> directed;
  };
  using Account = std::vector<Slot>;  // a handful of resources per account
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<model::Address, Account, model::AddressHash> accounts;
  };

  Shard& shard_for(const model::Address& bare) const;
  static Slot* find_slot(Account& account, const model::Address& full);

  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace parley::core
