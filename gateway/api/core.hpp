#pragma once
// Core: what every adapter's sessions call. Implemented once in gateway/core (router, roster
// and presence services); protocol-neutral, model types only.
//
// Threading: every method is thread-safe and returns without waiting for I/O. Completion
// callbacks run on a core or store thread: a session posts them to its own strand.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/api/endpoint.hpp"
#include "mapping/model/message.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/model/roster.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::api {

struct SessionInfo {
  model::Address full;  // the bound full address
  model::Protocol protocol = model::Protocol::xmpp;
  std::string session_id;  // for logs
};

// Per-endpoint switches a session sets as its client asks.
struct EndpointFlags {
  bool carbons = false;                // XEP-0280 enabled
  bool roster_interested = false;      // RFC 6121 §2.1.6: requested the roster
  bool block_list_interested = false;  // XEP-0191: requested the block list
};

struct RosterSnapshot {
  std::vector<model::RosterItem> items;  // stored items plus the shared department groups
  std::uint64_t version = 0;
};

using ErrorCallback = std::function<void(std::optional<model::StanzaError>)>;

class Core {
 public:
  virtual ~Core() = default;

  // ---- endpoints ----
  // Registers an authenticated, bound endpoint. If the full address is already bound, the old
  // endpoint receives CloseRequest{conflict} and is replaced (RFC 6120 §7.7.2.2, "override").
  // Fails with resource-constraint when the account already has the configured maximum.
  virtual std::optional<model::StanzaError> bind(const SessionInfo& info,
                                                 std::shared_ptr<Endpoint> endpoint) = 0;
  // Removes the endpoint if it is still the one bound to `full`. If it was available, the core
  // broadcasts unavailable presence for it (RFC 6121 §4.5.2) including directed recipients.
  virtual void unbind(const model::Address& full, const Endpoint* endpoint) = 0;
  virtual void set_flags(const model::Address& full, EndpointFlags flags) = 0;
  virtual bool is_bound(const model::Address& full) const = 0;

  // ---- messages (RFC 6121 §8.5) ----
  // From a bound endpoint (msg.from is its full address). The core stamps id and time, honours
  // block lists, delivers (full -> that endpoint or, per §8.5.3.2.1, like a bare address for
  // chat/normal; bare -> highest non-negative priority, all on a tie), stores for an offline
  // account, and answers errors to the sender as error messages.
  virtual void send_message(model::Message message) = 0;

  // ---- presence (RFC 6121 §3, §4) ----
  // Broadcast (to empty), directed, probe and subscription stanzas from a bound endpoint.
  // Initial presence marks the endpoint available, broadcasts, probes contacts, delivers
  // pending subscription requests and, with priority >= 0, the account's offline messages.
  virtual void send_presence(model::Presence presence) = 0;

  // ---- roster (RFC 6121 §2) ----
  virtual void roster_get(const model::Address& user, std::function<void(RosterSnapshot)> done) = 0;
  // Adds or updates name/groups (the subscription state is the server's), pushes to all
  // interested resources. Errors: not-acceptable for bad items, forbidden for shared groups.
  virtual void roster_set(const model::Address& user, model::RosterItem item,
                          ErrorCallback done) = 0;
  // Removes the item, cancelling subscriptions both ways (RFC 6121 §2.5.2), pushes.
  // item-not-found if absent.
  virtual void roster_remove(const model::Address& user, const model::Address& contact,
                             ErrorCallback done) = 0;

  // ---- block list (XEP-0191) ----
  virtual void block_list(const model::Address& user,
                          std::function<void(std::vector<model::Address>)> done) = 0;
  virtual void block(const model::Address& user, std::vector<model::Address> items,
                     ErrorCallback done) = 0;
  // Empty items: unblock everything.
  virtual void unblock(const model::Address& user, std::vector<model::Address> items,
                       ErrorCallback done) = 0;

  // ---- opaque stanzas ----
  // Routes a protocol-specific stanza to the endpoint bound to `to` (full) if it speaks the same
  // protocol; otherwise `done` gets service-unavailable (RFC 6120 §10.5.3.1 / §8.5.2.1.3).
  virtual void send_opaque(OpaqueDelivery stanza, ErrorCallback done) = 0;

  // ---- accounts ----
  virtual bool account_exists(const model::Address& bare) const = 0;

  // ---- presence without a roster subscription (additive, issue 7) ----
  // For an adapter whose own policy allows it (SIP's organisation policy, docs/sip.md): the
  // bound endpoint `watcher_full` gets `target`'s current presence now and every later
  // broadcast, until unwatch_presence or unbind. The adapter decides who may watch whom.
  // False when not supported or the watcher is not bound.
  virtual bool watch_presence(const model::Address& /*watcher_full*/,
                              const model::Address& /*target*/) {
    return false;
  }
  virtual void unwatch_presence(const model::Address& /*watcher_full*/,
                                const model::Address& /*target*/) {}
};

}  // namespace parley::api
