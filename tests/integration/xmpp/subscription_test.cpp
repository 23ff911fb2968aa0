// Two accounts add each other: the full presence-subscription handshake of RFC 6121 §3.1 in
// both directions, with the roster pushes showing each state (none+ask, from, to, both), then
// presence (§4.2, §4.4) and chat messages (§5) both ways.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class SubscriptionTest : public DaemonSuite<SubscriptionTest> {};

std::string subscription_in_push(StropheClient& client, const std::string& contact,
                                 const std::string& state, const std::string& ask = {}) {
  // Pushes may show intermediate states; wait for the one with the expected state.
  const XmlNode push = expect(
      client,
      [&](const XmlNode& n) {
        if (!roster_push_for(contact)(n)) return false;
        const XmlNode* item = roster_item(n, contact);
        return item->attr_or("subscription", "none") == state && item->attr_or("ask") == ask;
      },
      "a roster push of " + contact + " with subscription='" + state + "' ask='" + ask + "'");
  return roster_item(push, contact)->attr_or("subscription", "none");
}

TEST_F(SubscriptionTest, MutualSubscriptionThenPresenceAndMessagesBothWays) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice, {.resource = "laptop"});
  auto b = online(daemon(), bob, {.resource = "phone"});

  // RFC 6121 §3.1.2: alice asks; her roster shows the pending outbound request.
  a->send(presence(bob.jid, "subscribe"));
  EXPECT_EQ(subscription_in_push(*a, bob.jid, "none", "subscribe"), "none");
  // §3.1.3: bob's server delivers the request from alice's bare JID.
  const XmlNode request = expect(*b, presence_from(alice.jid, "subscribe"), "subscribe from alice");
  EXPECT_EQ(request.attr_or("from"), alice.jid);

  // §3.1.5: bob approves; his roster shows 'from'.
  b->send(presence(alice.jid, "subscribed"));
  subscription_in_push(*b, alice.jid, "from");
  // alice learns it, her roster shows 'to', and she receives bob's current presence.
  expect(*a, presence_from(bob.jid, "subscribed"), "subscribed from bob");
  subscription_in_push(*a, bob.jid, "to");
  const XmlNode bob_presence = expect(*a, presence_from(bob.jid), "bob's available presence");
  EXPECT_EQ(bob_presence.attr_or("from"), b->bound_jid());

  // The other direction.
  b->send(presence(alice.jid, "subscribe"));
  subscription_in_push(*b, alice.jid, "from", "subscribe");
  expect(*a, presence_from(bob.jid, "subscribe"), "subscribe from bob");
  a->send(presence(bob.jid, "subscribed"));
  subscription_in_push(*a, bob.jid, "both");
  expect(*b, presence_from(alice.jid, "subscribed"), "subscribed from alice");
  subscription_in_push(*b, alice.jid, "both");
  expect(*b, presence_from(alice.jid), "alice's available presence");

  // Both stored rosters agree (RFC 6121 §2.1.3).
  auto roster_a = a->iq(roster_get());
  ASSERT_TRUE(roster_a);
  ASSERT_NE(roster_item(*roster_a, bob.jid), nullptr) << roster_a->to_string();
  EXPECT_EQ(roster_item(*roster_a, bob.jid)->attr_or("subscription"), "both");
  EXPECT_FALSE(roster_item(*roster_a, bob.jid)->attr("ask"));
  auto roster_b = b->iq(roster_get());
  ASSERT_TRUE(roster_b);
  ASSERT_NE(roster_item(*roster_b, alice.jid), nullptr) << roster_b->to_string();
  EXPECT_EQ(roster_item(*roster_b, alice.jid)->attr_or("subscription"), "both");

  // Presence broadcast to the subscriber (RFC 6121 §4.4.2).
  XmlNode away("presence");
  away.append(XmlNode("show").set_text("away")).append(XmlNode("status").set_text("lunch"));
  a->send(away);
  const XmlNode seen = expect(
      *b,
      [&](const XmlNode& n) {
        return presence_from(alice.jid)(n) && n.child_text("show") == "away";
      },
      "alice's away presence");
  EXPECT_EQ(seen.child_text("status"), "lunch");
  EXPECT_EQ(seen.attr_or("from"), a->bound_jid());

  // Messages both ways, to the bare JID (RFC 6121 §8.5.2.1.1).
  a->send(chat(bob.jid, "hello bob"));
  const XmlNode to_bob = expect(*b, message_with_body("hello bob"), "alice's message");
  EXPECT_EQ(to_bob.attr_or("from"), a->bound_jid());
  EXPECT_EQ(to_bob.attr_or("type"), "chat");
  b->send(chat(a->bound_jid(), "hi alice"));
  const XmlNode to_alice = expect(*a, message_with_body("hi alice"), "bob's message");
  EXPECT_EQ(to_alice.attr_or("from"), b->bound_jid());

  // Going offline is broadcast as unavailable presence (RFC 6121 §4.5.2).
  b->disconnect();
  expect(*a, presence_from(bob.jid, "unavailable"), "bob's unavailable presence");
}

}  // namespace
}  // namespace parley::it
