// XEP-0198 stream management by hand: enable with resume, receive stanzas without acking,
// lose the TCP connection, reconnect and resume (§5): the server reports how many stanzas it
// received from us, and retransmits every stanza we never acknowledged — including the ones
// that arrived while we were gone.
#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

class StreamResumptionTest : public DaemonSuite<StreamResumptionTest> {};

bool is_message_with(const XmlNode& n, const std::set<std::string>& bodies) {
  return n.name() == "message" && bodies.count(n.child_text("body")) > 0;
}

// Authenticates on a new connection and asks to resume `previd` (§5) instead of binding, with
// h=0: we never processed anything the server counted. Returns the server's SM answer.
std::optional<XmlNode> resume(RawClient& raw, const Account& account, const std::string& previd) {
  raw.open_stream();
  raw.starttls();
  if (!raw.authenticate(SaslMechanism::scram_sha256, account.local(), account.password).success) {
    return std::nullopt;
  }
  raw.restart_stream();
  raw.send(XmlNode("resume", std::string(kNsSm)).set("previd", previd).set("h", "0"));
  return raw.next_matching([](const XmlNode& n) { return n.ns() == kNsSm; });
}

TEST_F(StreamResumptionTest, UnackedMessagesArriveAfterResume) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);

  std::string previd;
  std::string full;
  {
    RawClient raw(daemon().c2s_port(), Transport::plain);
    const XmlNode features = raw.login(bob.jid, bob.password, "mobile");
    full = raw.bound_jid();
    // XEP-0198 §2: the feature is offered after authentication.
    ASSERT_NE(features.child("sm", kNsSm), nullptr) << features.to_string();
    raw.send(XmlNode("enable", std::string(kNsSm)).set("resume", "true"));
    auto enabled = raw.next_matching([](const XmlNode& n) { return n.ns() == kNsSm; });
    ASSERT_TRUE(enabled);
    ASSERT_EQ(enabled->name(), "enabled") << enabled->to_string();
    previd = enabled->attr_or("id");
    ASSERT_FALSE(previd.empty()) << "resumption needs an id (XEP-0198 §5)";
    const std::string resume = enabled->attr_or("resume");
    EXPECT_TRUE(resume == "true" || resume == "1") << enabled->to_string();

    // One stanza from us (h must count it), then three messages to us that we never ack.
    raw.send(presence());
    for (const char* body : {"one", "two", "three"}) a->send(chat(full, body));
    std::set<std::string> waiting{"one", "two", "three"};
    while (!waiting.empty()) {
      auto m = raw.next_matching([&](const XmlNode& n) { return is_message_with(n, waiting); });
      ASSERT_TRUE(m) << "still waiting for " << waiting.size() << " messages";
      waiting.erase(m->child_text("body"));
    }
    raw.cut();
  }
  // Sent while the session is detached: held for the resumable session.
  a->send(chat(full, "four"));
  ASSERT_TRUE(a->iq(roster_get()));  // the server has routed "four"

  RawClient raw(daemon().c2s_port(), Transport::plain);
  auto resumed = resume(raw, bob, previd);
  ASSERT_TRUE(resumed);
  ASSERT_EQ(resumed->name(), "resumed") << resumed->to_string();
  EXPECT_EQ(resumed->attr_or("previd"), previd);
  // The server handled exactly one stanza from us: the presence (§4 "h").
  EXPECT_EQ(resumed->attr_or("h"), "1") << resumed->to_string();

  std::set<std::string> waiting{"one", "two", "three", "four"};
  int received = 0;
  while (!waiting.empty()) {
    auto m = raw.next_matching([&](const XmlNode& n) { return is_message_with(n, waiting); });
    ASSERT_TRUE(m) << "after <resumed/>, still missing " << waiting.size()
                   << " messages; first: " << *waiting.begin();
    EXPECT_EQ(m->attr_or("to"), full);
    waiting.erase(m->child_text("body"));
    ++received;
  }
  EXPECT_EQ(received, 4);

  // The resumed session is live: a new message arrives, and the server answers our ack
  // request (§4) with the same count — we sent nothing since.
  a->send(chat(full, "five"));
  ASSERT_TRUE(raw.next_matching(message_with_body("five")));
  raw.send(XmlNode("r", std::string(kNsSm)));
  auto ack = raw.next_matching([](const XmlNode& n) { return n.is("a", kNsSm); });
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->attr_or("h"), "1");
}

// Room messages are written from bytes shared by every occupant (serialized once per room
// message), yet for a session with stream management each one is counted and kept, and comes
// back after <resumed/> addressed to this session, like any other stanza.
TEST_F(StreamResumptionTest, RoomMessagesAreCountedAndRetransmittedAfterResume) {
  const Account alice = daemon().new_account("alice");
  const Account dave = daemon().new_account("dave");
  const std::string room = muc::room_jid(daemon(), "resumable");
  auto a = online(daemon(), alice);
  muc::enter(*a, room, "al");

  std::string previd;
  std::string full;
  {
    RawClient raw(daemon().c2s_port(), Transport::plain);
    raw.login(dave.jid, dave.password, "laptop");
    full = raw.bound_jid();
    raw.send(XmlNode("enable", std::string(kNsSm)).set("resume", "true"));
    auto enabled = raw.next_matching([](const XmlNode& n) { return n.ns() == kNsSm; });
    ASSERT_TRUE(enabled);
    ASSERT_EQ(enabled->name(), "enabled") << enabled->to_string();
    previd = enabled->attr_or("id");
    raw.send(muc::join_presence(room, "da"));
    ASSERT_TRUE(raw.next_matching(muc::self_presence(room + "/da")));
    a->send(muc::groupchat(room, "shared one"));
    auto got = raw.next_matching(muc::groupchat_with_body("shared one"));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->attr_or("to"), full);
    raw.cut();
  }
  a->send(muc::groupchat(room, "shared two"));  // while dave's session is detached
  ASSERT_TRUE(a->wait_for(muc::groupchat_with_body("shared two"), std::chrono::seconds(5)));

  RawClient raw(daemon().c2s_port(), Transport::plain);
  auto resumed = resume(raw, dave, previd);
  ASSERT_TRUE(resumed);
  ASSERT_EQ(resumed->name(), "resumed") << resumed->to_string();
  for (const char* body : {"shared one", "shared two"}) {
    auto m = raw.next_matching(muc::groupchat_with_body(body));
    ASSERT_TRUE(m) << "not retransmitted: " << body;
    EXPECT_EQ(m->attr_or("to"), full);
    EXPECT_EQ(m->attr_or("from"), room + "/al");
  }
}

TEST_F(StreamResumptionTest, UnknownPrevidFailsWithItemNotFound) {
  const Account carol = daemon().new_account("carol");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.open_stream();
  raw.starttls();
  ASSERT_TRUE(raw.authenticate(SaslMechanism::scram_sha256, carol.local(), carol.password).success);
  raw.restart_stream();
  raw.send(XmlNode("resume", std::string(kNsSm)).set("previd", "no-such-session").set("h", "0"));
  auto failed = raw.next_matching([](const XmlNode& n) { return n.ns() == kNsSm; });
  ASSERT_TRUE(failed);
  ASSERT_EQ(failed->name(), "failed") << failed->to_string();
  // XEP-0198 §5: <item-not-found/> when the session is unknown or expired.
  EXPECT_NE(failed->child("item-not-found", kNsStanzas), nullptr) << failed->to_string();
  // The stream stays usable: the client binds a new session instead.
  EXPECT_EQ(raw.bind("fresh"), carol.jid + "/fresh");
}

}  // namespace
}  // namespace parley::it
