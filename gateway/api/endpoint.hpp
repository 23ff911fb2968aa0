#pragma once
// Endpoint: the contract between a logged-in session of any adapter and the core.
// deliver() only enqueues onto the session's bounded outbox on its own strand and returns;
// translation to the wire format happens there. It never blocks and never throws.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "mapping/model/message.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/model/roster.hpp"

namespace parley::api {

// XEP-0280: a copy of a message sent to / by another resource of the same account.
enum class CopyKind { none, received, sent };

struct MessageDelivery {
  std::shared_ptr<const model::Message> message;
  CopyKind copy = CopyKind::none;
};

struct PresenceDelivery {
  std::shared_ptr<const model::Presence> presence;
};

// RFC 6121 §2.1.6 roster push; version is the roster version after the change (XEP-0237).
struct RosterPush {
  model::RosterItem item;
  bool removed = false;
  std::uint64_t version = 0;
};

// XEP-0191 §3.2/§3.3 pushes to every resource that asked for the block list.
struct BlockListPush {
  bool blocked = true;                // false: unblock
  std::vector<model::Address> items;  // empty with blocked == false: unblock all
};

// A stanza that only its own protocol understands (e.g. an XMPP <iq/> between two clients),
// routed unchanged to a full address of the same protocol (RFC 6120 §10.5.3.1).
struct OpaqueDelivery {
  model::Protocol origin = model::Protocol::xmpp;
  model::Address from;
  model::Address to;
  std::string
      data;  // the origin protocol's serialized stanza; `from` must be rewritten by the receiver
};

enum class CloseReason {
  conflict,         // another session bound the same full address (RFC 6120 §7.7.2.2)
  account_removed,  // the admin removed the account
  shutdown,         // the daemon is stopping
};
struct CloseRequest {
  CloseReason reason = CloseReason::shutdown;
};

using Delivery = std::variant<MessageDelivery, PresenceDelivery, RosterPush, BlockListPush,
                              OpaqueDelivery, CloseRequest>;

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // Must only enqueue (post to the session's strand) and return.
  virtual void deliver(Delivery delivery) = 0;
};

}  // namespace parley::api
