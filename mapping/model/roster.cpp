#include "mapping/model/roster.hpp"

#include <array>

#include "mapping/model/name_table.hpp"

namespace parley::model {
namespace {

using S = SubscriptionState;
using Ev = SubscriptionEvent;

struct StateInfo {
  S state;
  std::string_view name;
  Subscription subscription;
  bool pending_out;
  bool pending_in;
};

constexpr std::array<StateInfo, kSubscriptionStateCount> kStates = {{
    {S::none, "none", Subscription::none, false, false},
    {S::none_pending_out, "none+pending-out", Subscription::none, true, false},
    {S::none_pending_in, "none+pending-in", Subscription::none, false, true},
    {S::none_pending_out_in, "none+pending-out-in", Subscription::none, true, true},
    {S::to, "to", Subscription::to, false, false},
    {S::to_pending_in, "to+pending-in", Subscription::to, false, true},
    {S::from, "from", Subscription::from, false, false},
    {S::from_pending_out, "from+pending-out", Subscription::from, true, false},
    {S::both, "both", Subscription::both, false, false},
}};

constexpr detail::NameTable<Subscription, 4> kSubscriptions = {{
    {Subscription::none, "none"},
    {Subscription::to, "to"},
    {Subscription::from, "from"},
    {Subscription::both, "both"},
}};

// One cell: the next state (or "stay") and whether the stanza goes on.
struct Cell {
  bool stay;  // "no state change" in the RFC tables
  S next;
  bool forward;
};
constexpr Cell stay(bool forward) {
  return {true, S::none, forward};
}
constexpr Cell go(S next) {
  return {false, next, true};
}

// Rows: current state in enum order. Columns: event in enum order.
//
// Outbound (RFC 6121 Appendix A.2 intro): "subscribe" and "unsubscribe" are ALWAYS routed, so
// the contact can resynchronise; "subscribed" and "unsubscribed" are routed only when they
// change the state (SHOULD NOT route otherwise; an outbound "subscribed" in a state without
// Pending In is pre-approval, §3.4, handled by the caller).
// Inbound (Appendix A.3): delivered to the user only when the state changes; an inbound
// "subscribe" in From/Both is absorbed and the caller auto-replies "subscribed" (§3.1.3).
//
//                       out_sub                 out_subd                 out_unsub
//                       out_unsubd              in_sub                   in_subd
//                       in_unsub                in_unsubd
constexpr std::array<std::array<Cell, kSubscriptionEventCount>, kSubscriptionStateCount> kTable = {{
    // None
    {{go(S::none_pending_out), stay(false), stay(true),  //
      stay(false), go(S::none_pending_in), stay(false),  //
      stay(false), stay(false)}},
    // None + Pending Out
    {{stay(true), stay(false), go(S::none),                //
      stay(false), go(S::none_pending_out_in), go(S::to),  //
      stay(false), go(S::none)}},
    // None + Pending In
    {{go(S::none_pending_out_in), go(S::from), stay(true),  //
      go(S::none), stay(false), stay(false),                //
      go(S::none), stay(false)}},
    // None + Pending Out+In
    {{stay(true), go(S::from_pending_out), go(S::none_pending_in),  //
      go(S::none_pending_out), stay(false), go(S::to_pending_in),   //
      go(S::none_pending_out), go(S::none_pending_in)}},
    // To
    {{stay(true), stay(false), go(S::none),            //
      stay(false), go(S::to_pending_in), stay(false),  //
      stay(false), go(S::none)}},
    // To + Pending In
    {{stay(true), go(S::both), go(S::none_pending_in),  //
      go(S::to), stay(false), stay(false),              //
      go(S::to), go(S::none_pending_in)}},
    // From
    {{go(S::from_pending_out), stay(false), stay(true),  //
      go(S::none), stay(false), stay(false),             //
      go(S::none), stay(false)}},
    // From + Pending Out
    {{stay(true), stay(false), go(S::from),               //
      go(S::none_pending_out), stay(false), go(S::both),  //
      go(S::none_pending_out), go(S::from)}},
    // Both
    {{stay(true), stay(false), go(S::from),  //
      go(S::to), stay(false), stay(false),   //
      go(S::to), go(S::from)}},
}};

const StateInfo& info(S s) {
  return kStates[static_cast<std::size_t>(s)];
}

}  // namespace

Subscription subscription_of(SubscriptionState s) {
  return info(s).subscription;
}
bool pending_out(SubscriptionState s) {
  return info(s).pending_out;
}
bool pending_in(SubscriptionState s) {
  return info(s).pending_in;
}

std::string_view subscription_name(Subscription s) {
  return detail::name_of(kSubscriptions, s);
}
std::string_view state_name(SubscriptionState s) {
  return info(s).name;
}
std::optional<SubscriptionState> state_from_name(std::string_view name) {
  for (const auto& row : kStates) {
    if (row.name == name) return row.state;
  }
  return std::nullopt;
}

SubscriptionTransition apply(SubscriptionState current, SubscriptionEvent event) {
  const Cell& cell = kTable[static_cast<std::size_t>(current)][static_cast<std::size_t>(event)];
  SubscriptionTransition t;
  t.next = cell.stay ? current : cell.next;
  t.forward = cell.forward;
  // A roster push carries subscription and ask (RFC 6121 §2.1.2.5, §2.1.2.1); Pending In is
  // not visible in a roster item, so a change of Pending In alone is stored but not pushed
  // (§3.1.3: the contact's server does not push on an inbound subscribe).
  t.push = subscription_of(t.next) != subscription_of(current) ||
           pending_out(t.next) != pending_out(current);
  return t;
}

}  // namespace parley::model
