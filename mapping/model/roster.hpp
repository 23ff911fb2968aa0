#pragma once
// Roster items and the RFC 6121 subscription state machine (Appendix A).
// The nine states are a subscription (none/to/from/both) with pending-out ("ask") and
// pending-in flags; apply() is a table lookup, so every transition is tested one by one.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/model/address.hpp"

namespace parley::model {

enum class Subscription { none, to, from, both };

enum class SubscriptionState : std::uint8_t {
  none,                 // None
  none_pending_out,     // None + Pending Out
  none_pending_in,      // None + Pending In
  none_pending_out_in,  // None + Pending Out/In
  to,                   // To
  to_pending_in,        // To + Pending In
  from,                 // From
  from_pending_out,     // From + Pending Out
  both,                 // Both
};
inline constexpr int kSubscriptionStateCount = 9;

Subscription subscription_of(SubscriptionState s);
bool pending_out(SubscriptionState s);  // wire: ask="subscribe"
bool pending_in(SubscriptionState s);
std::string_view subscription_name(Subscription s);  // "none", "to", "from", "both"
std::string_view state_name(SubscriptionState s);    // "none+pending-out", ...
std::optional<SubscriptionState> state_from_name(std::string_view name);

// Subscription stanzas as seen by the server of the *user* whose roster is being changed.
// outbound_*: the user sent it (to the contact); inbound_*: the contact sent it (to the user).
enum class SubscriptionEvent : std::uint8_t {
  outbound_subscribe,
  outbound_subscribed,
  outbound_unsubscribe,
  outbound_unsubscribed,
  inbound_subscribe,
  inbound_subscribed,
  inbound_unsubscribe,
  inbound_unsubscribed,
};
inline constexpr int kSubscriptionEventCount = 8;

struct SubscriptionTransition {
  SubscriptionState next;
  // outbound: route the stanza to the contact; inbound: deliver it to the user's resources.
  // false means the RFC says the server ignores/absorbs it in this state (Appendix A tables).
  bool forward = false;
  // the state changed, so the user's roster item must be pushed (RFC 6121 §3.1.2 ...).
  // Only a change visible in a roster item (subscription or ask) counts: Pending In alone is
  // not pushed (§3.1.3). Persist whenever next != current.
  bool push = false;
};

// Appendix A.2 (outbound) and A.3 (inbound) of RFC 6121, as one table.
// Pre-approval (§3.4) is handled by the caller: an inbound subscribe for a pre-approved item
// is answered with subscribed on the user's behalf.
SubscriptionTransition apply(SubscriptionState current, SubscriptionEvent event);

struct RosterItem {
  Address jid;  // bare
  std::string name;
  std::vector<std::string> groups;
  SubscriptionState state = SubscriptionState::none;
  bool approved = false;  // pre-approved subscription (RFC 6121 §3.4)
  friend bool operator==(const RosterItem&, const RosterItem&) = default;
};

}  // namespace parley::model
