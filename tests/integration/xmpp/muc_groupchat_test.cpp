// XEP-0045 §7.2-§7.4, §7.14: several users join a room (the first creates it as an instant
// room, status 201), each message reaches every occupant exactly once — the sender's echo
// included, with the room's stanza-id and the sender's origin-id — and leaving is announced.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;
using std::chrono::milliseconds;

class MucGroupchatTest : public DaemonSuite<MucGroupchatTest> {};

TEST_F(MucGroupchatTest, EveryOccupantGetsEachMessageOnceAndSeesLeaves) {
  const std::string room = room_jid(daemon(), "lobby");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  const Account carol = daemon().new_account("carol");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  auto c = online(daemon(), carol);

  const XmlNode created = enter(*a, room, "al");
  EXPECT_TRUE(has_status(created, "201")) << created.to_string();  // §10.1.1 new room
  EXPECT_TRUE(has_status(created, "100")) << created.to_string();  // non-anonymous
  const XmlNode* item = created.child("x", kMucUser)->child("item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr_or("affiliation"), "owner");
  EXPECT_EQ(item->attr_or("jid"), alice.jid);

  enter(*b, room, "bo");
  expect(*a, occupant_presence(room + "/bo"), "alice sees bob join");
  const XmlNode joined = enter(*c, room, "ca");
  EXPECT_FALSE(has_status(joined, "201"));
  expect(*a, occupant_presence(room + "/ca"), "alice sees carol join");
  expect(*b, occupant_presence(room + "/ca"), "bob sees carol join");

  a->send(groupchat(room, "hello all", "alice-1"));
  for (auto* client : {a.get(), b.get(), c.get()}) {
    const XmlNode got = expect(*client, groupchat_with_body("hello all"), "the message");
    EXPECT_EQ(got.attr_or("from"), room + "/al");
    const XmlNode* sid = got.child("stanza-id", "urn:xmpp:sid:0");
    ASSERT_NE(sid, nullptr) << got.to_string();
    EXPECT_EQ(sid->attr_or("by"), room);
    EXPECT_FALSE(sid->attr_or("id").empty());
    EXPECT_EQ(got.attr_or("id"), "alice-1");  // §7.4: the echo keeps the sender's id
  }
  b->send(groupchat(room, "hi alice"));
  for (auto* client : {a.get(), b.get(), c.get()}) {
    expect(*client, groupchat_with_body("hi alice"), "bob's message");
  }
  // Exactly once: a round trip later, no second copy is queued anywhere.
  for (auto* client : {a.get(), b.get(), c.get()}) {
    ASSERT_TRUE(client->iq(roster_get()));
    EXPECT_FALSE(client->wait_for(groupchat_with_body("hello all"), milliseconds(0)));
    EXPECT_FALSE(client->wait_for(groupchat_with_body("hi alice"), milliseconds(0)));
  }

  // §7.14: carol leaves; she gets her own unavailable presence (110), the others see her go.
  c->send(presence(room + "/ca", "unavailable"));
  expect(*c, self_presence(room + "/ca", "unavailable"), "carol's exit self-presence");
  expect(*a, occupant_presence(room + "/ca", "unavailable"), "alice sees carol leave");
  expect(*b, occupant_presence(room + "/ca", "unavailable"), "bob sees carol leave");
  a->send(groupchat(room, "after carol"));
  expect(*b, groupchat_with_body("after carol"), "bob still gets messages");
  ASSERT_TRUE(c->iq(roster_get()));
  EXPECT_FALSE(c->wait_for(groupchat_with_body("after carol"), milliseconds(0)));

  // A disconnect leaves the room too.
  b->disconnect();
  expect(*a, occupant_presence(room + "/bo", "unavailable"), "alice sees bob's session end");
}

TEST_F(MucGroupchatTest, NonOccupantsCannotPost) {
  const std::string room = room_jid(daemon(), "closed-door");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  enter(*a, room, "al");
  b->send(groupchat(room, "let me in"));
  const XmlNode error = expect(*b, message_error_from(room), "the error");
  EXPECT_EQ(stanza_error_condition(error), "not-acceptable");
  ASSERT_TRUE(a->iq(roster_get()));
  EXPECT_FALSE(a->wait_for(groupchat_with_body("let me in"), milliseconds(0)));
}

}  // namespace
}  // namespace parley::it
