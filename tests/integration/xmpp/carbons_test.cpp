// Message Carbons (XEP-0280): with carbons enabled on two resources of one account, a message
// to one resource is copied to the other as <received/> (§6), and a message sent from one is
// copied to the other as <sent/> (§7), each wrapping the original in <forwarded/> (XEP-0297).
// A resource that has not enabled carbons gets no copies.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

constexpr std::string_view kNsCarbons = "urn:xmpp:carbons:2";
constexpr std::string_view kNsForward = "urn:xmpp:forward:0";

XmlNode enable_carbons() {
  XmlNode iq("iq");
  iq.set("type", "set").append(XmlNode("enable", std::string(kNsCarbons)));
  return iq;
}

// The forwarded message inside a carbon of `kind` ("received" or "sent") with that body.
Match carbon(const std::string& kind, const std::string& body) {
  return [kind, body](const XmlNode& n) {
    const XmlNode* wrapper = n.name() == "message" ? n.child(kind, kNsCarbons) : nullptr;
    const XmlNode* forwarded = wrapper ? wrapper->child("forwarded", kNsForward) : nullptr;
    const XmlNode* inner = forwarded ? forwarded->child("message") : nullptr;
    return inner && inner->child_text("body") == body;
  };
}

const XmlNode& inner_message(const XmlNode& carbon_message, const std::string& kind) {
  return *carbon_message.child(kind, kNsCarbons)->child("forwarded", kNsForward)->child("message");
}

class CarbonsTest : public DaemonSuite<CarbonsTest> {};

TEST_F(CarbonsTest, ReceivedAndSentCopiesReachTheOtherResource) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto desk = online(daemon(), alice, {.resource = "desk"});
  auto phone = online(daemon(), alice, {.resource = "phone"});
  auto b = online(daemon(), bob);

  for (StropheClient* c : {desk.get(), phone.get()}) {
    auto enabled = c->iq(enable_carbons());
    ASSERT_TRUE(enabled);
    ASSERT_EQ(enabled->attr_or("type"), "result") << enabled->to_string();
  }

  // §6: bob -> alice/desk; alice/phone gets a <received/> copy from alice's bare JID.
  b->send(chat(desk->bound_jid(), "to your desk"));
  expect(*desk, message_with_body("to your desk"), "the message itself");
  const XmlNode received =
      expect(*phone, carbon("received", "to your desk"), "the received carbon");
  EXPECT_EQ(received.attr_or("from"), alice.jid) << received.to_string();  // §11 security
  EXPECT_EQ(received.attr_or("to"), phone->bound_jid());
  const XmlNode& original = inner_message(received, "received");
  EXPECT_EQ(original.attr_or("from"), b->bound_jid());
  EXPECT_EQ(original.attr_or("to"), desk->bound_jid());

  // §7: alice/desk -> bob; alice/phone gets a <sent/> copy.
  desk->send(chat(bob.jid, "from my desk"));
  expect(*b, message_with_body("from my desk"), "alice's message");
  const XmlNode sent = expect(*phone, carbon("sent", "from my desk"), "the sent carbon");
  EXPECT_EQ(sent.attr_or("from"), alice.jid) << sent.to_string();
  const XmlNode& copy = inner_message(sent, "sent");
  EXPECT_EQ(copy.attr_or("from"), desk->bound_jid());
  EXPECT_EQ(bare_of(copy.attr_or("to")), bob.jid);
  // The sender does not get a carbon of its own message.
  EXPECT_FALSE(desk->wait_for(carbon("sent", "from my desk"), std::chrono::milliseconds(0)));
}

TEST_F(CarbonsTest, ResourceWithoutCarbonsGetsNoCopies) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto desk = online(daemon(), alice, {.resource = "desk"});
  auto tablet = online(daemon(), alice, {.resource = "tablet"});  // never enables carbons
  auto b = online(daemon(), bob);
  ASSERT_TRUE(desk->iq(enable_carbons()));

  b->send(chat(desk->bound_jid(), "only for desk"));
  expect(*desk, message_with_body("only for desk"), "the message itself");
  // Barrier: a message straight to the tablet, after which a carbon would already be there.
  b->send(chat(tablet->bound_jid(), "tablet barrier"));
  expect(*tablet, message_with_body("tablet barrier"), "the barrier message");
  EXPECT_FALSE(tablet->wait_for(carbon("received", "only for desk"), std::chrono::milliseconds(0)));
}

}  // namespace
}  // namespace parley::it
