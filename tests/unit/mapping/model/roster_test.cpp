#include "mapping/model/roster.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace parley::model {
namespace {

// The RFC 6121 Appendix A tables transcribed with the RFC's own state names, one table per
// event, so this test does not share a shape (or a mistake) with the implementation.
// "-" means "no state change".
struct Expect {
  const char* state;
  const char* next;
  bool forward;
};

const std::map<std::string, SubscriptionState>& rfc_names() {
  static const std::map<std::string, SubscriptionState> names = {
      {"None", SubscriptionState::none},
      {"None + Pending Out", SubscriptionState::none_pending_out},
      {"None + Pending In", SubscriptionState::none_pending_in},
      {"None + Pending Out+In", SubscriptionState::none_pending_out_in},
      {"To", SubscriptionState::to},
      {"To + Pending In", SubscriptionState::to_pending_in},
      {"From", SubscriptionState::from},
      {"From + Pending Out", SubscriptionState::from_pending_out},
      {"Both", SubscriptionState::both},
  };
  return names;
}

// A.2.1 outbound subscribe: always routed (A.2: resynchronisation).
const Expect kOutSubscribe[] = {
    {"None", "None + Pending Out", true},
    {"None + Pending Out", "-", true},
    {"None + Pending In", "None + Pending Out+In", true},
    {"None + Pending Out+In", "-", true},
    {"To", "-", true},
    {"To + Pending In", "-", true},
    {"From", "From + Pending Out", true},
    {"From + Pending Out", "-", true},
    {"Both", "-", true},
};
// A.2.2 outbound unsubscribe: always routed.
const Expect kOutUnsubscribe[] = {
    {"None", "-", true},
    {"None + Pending Out", "None", true},
    {"None + Pending In", "-", true},
    {"None + Pending Out+In", "None + Pending In", true},
    {"To", "None", true},
    {"To + Pending In", "None + Pending In", true},
    {"From", "-", true},
    {"From + Pending Out", "From", true},
    {"Both", "From", true},
};
// A.2.3 outbound subscribed: routed only on a state change.
const Expect kOutSubscribed[] = {
    {"None", "-", false},
    {"None + Pending Out", "-", false},
    {"None + Pending In", "From", true},
    {"None + Pending Out+In", "From + Pending Out", true},
    {"To", "-", false},
    {"To + Pending In", "Both", true},
    {"From", "-", false},
    {"From + Pending Out", "-", false},
    {"Both", "-", false},
};
// A.2.4 outbound unsubscribed: routed only on a state change.
const Expect kOutUnsubscribed[] = {
    {"None", "-", false},
    {"None + Pending Out", "-", false},
    {"None + Pending In", "None", true},
    {"None + Pending Out+In", "None + Pending Out", true},
    {"To", "-", false},
    {"To + Pending In", "To", true},
    {"From", "None", true},
    {"From + Pending Out", "None + Pending Out", true},
    {"Both", "To", true},
};
// A.3.1 inbound subscribe: delivered only on a state change (From/Both: auto-reply).
const Expect kInSubscribe[] = {
    {"None", "None + Pending In", true},
    {"None + Pending Out", "None + Pending Out+In", true},
    {"None + Pending In", "-", false},
    {"None + Pending Out+In", "-", false},
    {"To", "To + Pending In", true},
    {"To + Pending In", "-", false},
    {"From", "-", false},
    {"From + Pending Out", "-", false},
    {"Both", "-", false},
};
// A.3.2 inbound unsubscribe.
const Expect kInUnsubscribe[] = {
    {"None", "-", false},
    {"None + Pending Out", "-", false},
    {"None + Pending In", "None", true},
    {"None + Pending Out+In", "None + Pending Out", true},
    {"To", "-", false},
    {"To + Pending In", "To", true},
    {"From", "None", true},
    {"From + Pending Out", "None + Pending Out", true},
    {"Both", "To", true},
};
// A.3.3 inbound subscribed.
const Expect kInSubscribed[] = {
    {"None", "-", false},
    {"None + Pending Out", "To", true},
    {"None + Pending In", "-", false},
    {"None + Pending Out+In", "To + Pending In", true},
    {"To", "-", false},
    {"To + Pending In", "-", false},
    {"From", "-", false},
    {"From + Pending Out", "Both", true},
    {"Both", "-", false},
};
// A.3.4 inbound unsubscribed.
const Expect kInUnsubscribed[] = {
    {"None", "-", false},
    {"None + Pending Out", "None", true},
    {"None + Pending In", "-", false},
    {"None + Pending Out+In", "None + Pending In", true},
    {"To", "None", true},
    {"To + Pending In", "None + Pending In", true},
    {"From", "-", false},
    {"From + Pending Out", "From", true},
    {"Both", "From", true},
};

// What a roster item shows on the wire for a state: subscription attribute and ask.
std::pair<std::string, bool> wire_view(const std::string& rfc_state) {
  std::string sub = rfc_state.substr(0, rfc_state.find(' '));
  for (auto& c : sub) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool ask = rfc_state.find("Pending Out") != std::string::npos;
  return {sub, ask};
}

void check_event(SubscriptionEvent event, const Expect (&rows)[9], const char* label) {
  std::set<SubscriptionState> seen;
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(label) + " in " + row.state);
    SubscriptionState current = rfc_names().at(row.state);
    std::string next_name = std::string(row.next) == "-" ? row.state : row.next;
    SubscriptionState expected_next = rfc_names().at(next_name);
    auto t = apply(current, event);
    EXPECT_EQ(t.next, expected_next) << "got " << state_name(t.next);
    EXPECT_EQ(t.forward, row.forward);
    EXPECT_EQ(t.push, wire_view(row.state) != wire_view(next_name));
    seen.insert(current);
  }
  EXPECT_EQ(seen.size(), 9u);
}

TEST(SubscriptionStateMachine, OutboundSubscribe) {
  check_event(SubscriptionEvent::outbound_subscribe, kOutSubscribe, "out subscribe");
}
TEST(SubscriptionStateMachine, OutboundSubscribed) {
  check_event(SubscriptionEvent::outbound_subscribed, kOutSubscribed, "out subscribed");
}
TEST(SubscriptionStateMachine, OutboundUnsubscribe) {
  check_event(SubscriptionEvent::outbound_unsubscribe, kOutUnsubscribe, "out unsubscribe");
}
TEST(SubscriptionStateMachine, OutboundUnsubscribed) {
  check_event(SubscriptionEvent::outbound_unsubscribed, kOutUnsubscribed, "out unsubscribed");
}
TEST(SubscriptionStateMachine, InboundSubscribe) {
  check_event(SubscriptionEvent::inbound_subscribe, kInSubscribe, "in subscribe");
}
TEST(SubscriptionStateMachine, InboundSubscribed) {
  check_event(SubscriptionEvent::inbound_subscribed, kInSubscribed, "in subscribed");
}
TEST(SubscriptionStateMachine, InboundUnsubscribe) {
  check_event(SubscriptionEvent::inbound_unsubscribe, kInUnsubscribe, "in unsubscribe");
}
TEST(SubscriptionStateMachine, InboundUnsubscribed) {
  check_event(SubscriptionEvent::inbound_unsubscribed, kInUnsubscribed, "in unsubscribed");
}

TEST(SubscriptionStateMachine, SpotChecksFromTheBrief) {
  using S = SubscriptionState;
  using E = SubscriptionEvent;
  auto t = apply(S::none, E::inbound_subscribe);
  EXPECT_EQ(t.next, S::none_pending_in);
  EXPECT_TRUE(t.forward);
  EXPECT_FALSE(t.push);  // Pending In is not visible in a roster push
  t = apply(S::both, E::inbound_subscribe);
  EXPECT_EQ(t.next, S::both);
  EXPECT_FALSE(t.forward);
  t = apply(S::none_pending_in, E::outbound_subscribed);
  EXPECT_EQ(t.next, S::from);
  EXPECT_TRUE(t.forward);
  EXPECT_TRUE(t.push);
  t = apply(S::none, E::outbound_subscribed);
  EXPECT_EQ(t.next, S::none);
  EXPECT_FALSE(t.forward);
  EXPECT_FALSE(t.push);
  t = apply(S::both, E::inbound_unsubscribe);
  EXPECT_EQ(t.next, S::to);
  EXPECT_TRUE(t.forward);
  EXPECT_TRUE(t.push);
}

TEST(SubscriptionState, Decomposition) {
  struct Row {
    SubscriptionState state;
    Subscription sub;
    bool out;
    bool in;
    std::string_view name;
  };
  const Row rows[] = {
      {SubscriptionState::none, Subscription::none, false, false, "none"},
      {SubscriptionState::none_pending_out, Subscription::none, true, false, "none+pending-out"},
      {SubscriptionState::none_pending_in, Subscription::none, false, true, "none+pending-in"},
      {SubscriptionState::none_pending_out_in, Subscription::none, true, true,
       "none+pending-out-in"},
      {SubscriptionState::to, Subscription::to, false, false, "to"},
      {SubscriptionState::to_pending_in, Subscription::to, false, true, "to+pending-in"},
      {SubscriptionState::from, Subscription::from, false, false, "from"},
      {SubscriptionState::from_pending_out, Subscription::from, true, false, "from+pending-out"},
      {SubscriptionState::both, Subscription::both, false, false, "both"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.name));
    EXPECT_EQ(subscription_of(r.state), r.sub);
    EXPECT_EQ(pending_out(r.state), r.out);
    EXPECT_EQ(pending_in(r.state), r.in);
    EXPECT_EQ(state_name(r.state), r.name);
    EXPECT_EQ(state_from_name(r.name), r.state);
  }
  EXPECT_EQ(state_from_name("None"), std::nullopt);
  EXPECT_EQ(subscription_name(Subscription::none), "none");
  EXPECT_EQ(subscription_name(Subscription::to), "to");
  EXPECT_EQ(subscription_name(Subscription::from), "from");
  EXPECT_EQ(subscription_name(Subscription::both), "both");
}

}  // namespace
}  // namespace parley::model
