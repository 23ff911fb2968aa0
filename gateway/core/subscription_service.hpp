#pragma once
// Presence subscriptions between two local users (RFC 6121 §3, Appendix A). The whole
// handshake -- the sender's roster item, the receiver's roster item, pre-approval and the
// automatic replies -- is one store job: the store thread serialises every roster change.
// Pushes and presence deliveries follow after the commit.
#include <cstdint>
#include <optional>

#include "gateway/core/core_context.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/model/roster.hpp"

namespace parley::core {

// One roster item as a job changed it.
struct ItemChange {
  model::Address user;       // whose roster
  model::RosterItem before;  // state none when the item did not exist
  model::RosterItem after;
  bool push = false;  // RFC 6121 Appendix A: the change is visible to the client
  std::uint64_t version = 0;
};

class SubscriptionService {
 public:
  explicit SubscriptionService(CoreContext& ctx) : ctx_(ctx) {}

  // subscribe / subscribed / unsubscribe / unsubscribed from a bound endpoint.
  void send(model::Presence presence);

  // After-commit effects of a roster change: push when visible, and start or stop the flow of
  // presence it implies (RFC 6121 §3.1.5, §3.2.3, §3.3.3).
  void publish(const ItemChange& change);

 private:
  CoreContext& ctx_;
};

// Applies one RFC 6121 Appendix A event to `item`, or-ing the transition's push flag into
// `push`; returns whether the stanza is forwarded.
bool apply_event(model::RosterItem& item, model::SubscriptionEvent event, bool& push);

}  // namespace parley::core
