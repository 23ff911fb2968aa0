// Stanzas into the core and deliveries out of it, over loopback TCP.
#include <memory>

#include "tests/unit/adapters/xmpp/session/loopback.hpp"

namespace parley::xmpp::test {
namespace {

using Routing = Loopback;

std::string error_condition(const wire::XmlElement& stanza) {
  const auto* error = stanza.child("error");
  if (!error) return {};
  auto children = error->element_children();
  return children.empty() ? std::string() : children.front()->name();
}

TEST_F(Routing, MessageIsStampedAndRouted) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send(
      "<message to='bob@localhost' from='mallory@evil/x' type='chat' id='m1'>"
      "<body>hello</body></message>");
  ASSERT_TRUE(core_.wait([&] { return !core_.messages.empty(); }));
  auto message = core_.locked([&] { return core_.messages.front(); });
  EXPECT_EQ(message.from, addr("alice@localhost/pc"));  // RFC 6120 §8.1.2.1
  EXPECT_EQ(message.to, addr("bob@localhost"));
  EXPECT_EQ(message.body, "hello");
  EXPECT_EQ(message.id, "m1");
  EXPECT_EQ(message.type, model::MessageType::chat);
  EXPECT_EQ(message.stamp, model::Timestamp{});
  EXPECT_FALSE(message.delayed);
}

TEST_F(Routing, ABackloggedArchiveStopsTheReadingUntilItClears) {
  // Backpressure: while the archive's rows wait for the database past its watermark, a bound
  // session reads nothing more from its client (TCP flow control slows the sender); once the
  // store took the batch, what the client sent meanwhile is read and routed, none of it lost.
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  archive_.backlog = true;
  // The reader was already waiting for bytes when the flag rose: that one read completes (the
  // headroom between the watermark and max_pending is for such reads), the next one waits.
  client->send("<message to='bob@localhost' type='chat' id='m1'><body>one</body></message>");
  ASSERT_TRUE(core_.wait([&] { return core_.messages.size() == 1; }));
  client->send("<message to='bob@localhost' type='chat' id='m2'><body>two</body></message>");
  // Not read while backlogged: nothing more reaches the core in a quarter of a second (the
  // flag is looked at every 5 ms, so some fifty looks all had to say no).
  EXPECT_FALSE(
      core_.wait([&] { return core_.messages.size() > 1; }, std::chrono::milliseconds(250)));
  archive_.backlog = false;
  ASSERT_TRUE(core_.wait([&] { return core_.messages.size() == 2; }));
  EXPECT_EQ(core_.locked([&] { return core_.messages.back().id; }), "m2");
}

// Plain TCP reads a small buffer per session, then the rest of a burst at once into the io
// thread's buffer: every byte of every stanza must arrive, in order, with or without a read
// rate limit, and across the edges of both buffers.
class PlainTcpBurst : public Loopback {
 protected:
  void send_and_check(std::size_t read_rate) {
    XmppConfig config = test_config();
    config.require_starttls = false;
    config.read_rate_bytes_per_second = read_rate;
    start(config);
    auto client = logged_in_without_tls("alice", "secret", "pc");
    ASSERT_NE(client, nullptr);
    std::string burst;
    std::vector<std::string> bodies;
    for (std::size_t i = 0; i < 300; ++i) {
      // Sizes that straddle 1 KiB and 16 KiB boundaries in different places.
      bodies.push_back(std::to_string(i) + ":" +
                       std::string((i * 97) % 1500 + 1, static_cast<char>('a' + i % 26)));
      if (i == 150) bodies.back() += std::string(40000, 'z');
      burst += "<message to='bob@localhost' id='b" + std::to_string(i) + "'><body>" +
               bodies.back() + "</body></message>";
    }
    client->send(burst);
    ASSERT_TRUE(core_.wait([&] { return core_.messages.size() == bodies.size(); }, 20s));
    core_.locked([&] {
      for (std::size_t i = 0; i < bodies.size(); ++i) {
        EXPECT_EQ(core_.messages[i].id, "b" + std::to_string(i));
        EXPECT_EQ(core_.messages[i].body, bodies[i]) << i;
      }
      return 0;
    });
  }
};

TEST_F(PlainTcpBurst, ArrivesWholeAndInOrderWithoutReadLimit) {
  send_and_check(0);
}

TEST_F(PlainTcpBurst, ArrivesWholeAndInOrderUnderTheReadLimit) {
  send_and_check(256 * 1024);
}

TEST_F(Routing, MessageWithoutToGoesToOwnBareJid) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<message><body>note to self</body></message>");
  ASSERT_TRUE(core_.wait([&] { return !core_.messages.empty(); }));
  EXPECT_EQ(core_.locked([&] { return core_.messages.front().to; }), addr("alice@localhost"));
}

TEST_F(Routing, MalformedToIsJidMalformed) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<message to='a@b@c' id='x'><body>hi</body></message>");
  auto reply = client->next_named("message");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("type"), "error");
  EXPECT_EQ(error_condition(*reply), "jid-malformed");
  EXPECT_EQ(reply->attr_or("to"), "alice@localhost/pc");
}

TEST_F(Routing, MessageToTheServerIsServiceUnavailable) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<message to='localhost' id='s'><body>hi</body></message>");
  auto reply = client->next_named("message");
  ASSERT_TRUE(reply);
  EXPECT_EQ(error_condition(*reply), "service-unavailable");
  EXPECT_TRUE(core_.locked([&] { return core_.messages.empty(); }));
}

TEST_F(Routing, PresenceIsRoutedAndBadPriorityRefused) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<presence id='p1'><priority>500</priority></presence>");
  auto reply = client->next_named("presence");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("type"), "error");
  EXPECT_EQ(error_condition(*reply), "bad-request");
  client->send("<presence><show>away</show><priority>5</priority></presence>");
  ASSERT_TRUE(core_.wait([&] { return !core_.presences.empty(); }));
  auto presence = core_.locked([&] { return core_.presences.front(); });
  EXPECT_EQ(presence.from, addr("alice@localhost/pc"));
  EXPECT_TRUE(presence.to.empty());
  EXPECT_EQ(presence.show, model::Show::away);
  EXPECT_EQ(presence.priority, 5);
}

TEST_F(Routing, IqWithUnknownNamespaceToServer) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<iq type='get' id='q1' to='localhost'><query xmlns='urn:example:nothing'/></iq>");
  auto reply = client->next_named("iq");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("id"), "q1");
  EXPECT_EQ(reply->attr_or("type"), "error");
  EXPECT_EQ(error_condition(*reply), "service-unavailable");
}

TEST_F(Routing, IqWithTwoChildrenIsBadRequest) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send(
      "<iq type='get' id='q2'><ping xmlns='urn:xmpp:ping'/><ping xmlns='urn:xmpp:ping'/></iq>");
  auto reply = client->next_named("iq");
  ASSERT_TRUE(reply);
  EXPECT_EQ(error_condition(*reply), "bad-request");
}

TEST_F(Routing, PingIsServedByTheRegistry) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<iq type='get' id='ping1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
  auto reply = client->next_named("iq");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("id"), "ping1");
  EXPECT_EQ(reply->attr_or("type"), "result");
}

TEST_F(Routing, LegacySessionIqIsAnswered) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send(
      "<iq type='set' id='sess'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
  auto reply = client->next_named("iq");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("id"), "sess");
  EXPECT_EQ(reply->attr_or("type"), "result");
}

TEST_F(Routing, IqToFullJidIsOpaqueAndAnErrorComesBack) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send(
      "<iq type='get' id='v1' to='bob@localhost/phone'>"
      "<query xmlns='jabber:iq:version'/></iq>");
  auto reply = client->next_named("iq");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("type"), "error");
  EXPECT_EQ(error_condition(*reply), "service-unavailable");
  auto opaque = core_.locked([&] { return core_.opaques.front(); });
  EXPECT_EQ(opaque.from, addr("alice@localhost/pc"));
  EXPECT_EQ(opaque.to, addr("bob@localhost/phone"));
}

TEST_F(Routing, IqBetweenTwoClients) {
  start();
  auto alice = logged_in("alice", "secret", "pc");
  auto bob = logged_in("bob", "hunter2", "phone");
  ASSERT_NE(alice, nullptr);
  ASSERT_NE(bob, nullptr);
  alice->send(
      "<iq type='get' id='v2' to='bob@localhost/phone' from='forged@x'>"
      "<query xmlns='jabber:iq:version'/></iq>");
  auto request = bob->next_named("iq");
  ASSERT_TRUE(request);
  EXPECT_EQ(request->attr_or("from"), "alice@localhost/pc");
  EXPECT_EQ(request->attr_or("to"), "bob@localhost/phone");
  EXPECT_NE(request->child("query", "jabber:iq:version"), nullptr);
  bob->send(
      "<iq type='result' id='v2' to='alice@localhost/pc'>"
      "<query xmlns='jabber:iq:version'><name>x</name></query></iq>");
  auto result = alice->next_named("iq");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->attr_or("type"), "result");
  EXPECT_EQ(result->attr_or("from"), "bob@localhost/phone");
}

TEST_F(Routing, DeliveriesReachTheClient) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  auto endpoint = core_.endpoint(addr("alice@localhost/pc"));
  ASSERT_NE(endpoint, nullptr);

  auto message = std::make_shared<model::Message>();
  message->from = addr("bob@localhost/phone");
  message->to = addr("alice@localhost");
  message->type = model::MessageType::chat;
  message->body = "hi <alice> & co";
  endpoint->deliver(api::MessageDelivery{message, api::CopyKind::none});
  auto got = client->next_named("message");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->attr_or("from"), "bob@localhost/phone");
  EXPECT_EQ(got->child_text("body"), "hi <alice> & co");

  auto presence = std::make_shared<model::Presence>();
  presence->from = addr("bob@localhost/phone");
  presence->to = addr("alice@localhost/pc");
  presence->show = model::Show::dnd;
  endpoint->deliver(api::PresenceDelivery{presence});
  auto got_presence = client->next_named("presence");
  ASSERT_TRUE(got_presence);
  EXPECT_EQ(got_presence->child_text("show"), "dnd");

  endpoint->deliver(api::MessageDelivery{message, api::CopyKind::received});
  auto carbon = client->next_named("message");
  ASSERT_TRUE(carbon);
  EXPECT_NE(carbon->child("received", "urn:xmpp:carbons:2"), nullptr);
}

TEST_F(Routing, RosterPushOnlyWhenInterested) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  auto endpoint = core_.endpoint(addr("alice@localhost/pc"));
  ASSERT_NE(endpoint, nullptr);
  api::RosterPush push;
  push.item.jid = addr("bob@localhost");
  push.version = 7;
  endpoint->deliver(push);  // not interested yet: dropped
  // Requesting the roster marks the resource interested (RFC 6121 §2.1.6).
  client->send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
  auto roster = client->next_named("iq");
  ASSERT_TRUE(roster);
  EXPECT_EQ(roster->attr_or("id"), "r1");
  endpoint->deliver(push);
  auto got = client->next_named("iq");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->attr_or("type"), "set");
  const auto* query = got->child("query", "jabber:iq:roster");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->attr_or("ver"), "7");
  ASSERT_NE(query->child("item"), nullptr);
  EXPECT_EQ(query->child("item")->attr_or("jid"), "bob@localhost");
}

TEST_F(Routing, ConflictClosesTheOldSession) {
  start();
  auto first = logged_in("alice", "secret", "pc");
  ASSERT_NE(first, nullptr);
  auto second = logged_in("alice", "secret", "pc");
  ASSERT_NE(second, nullptr);
  auto error = first->next_named("error");
  ASSERT_TRUE(error);
  ASSERT_FALSE(error->element_children().empty());
  EXPECT_EQ(error->element_children().front()->name(), "conflict");
  EXPECT_TRUE(first->wait_closed());
  // The new session is still bound.
  EXPECT_TRUE(core_.is_bound(addr("alice@localhost/pc")));
}

TEST_F(Routing, UnknownTopLevelElement) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<foo xmlns='urn:example'/>");
  auto error = client->next_named("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->element_children().front()->name(), "unsupported-stanza-type");
  EXPECT_TRUE(client->wait_closed());
  ASSERT_TRUE(core_.wait([&] { return !core_.unbinds.empty(); }));
}

}  // namespace
}  // namespace parley::xmpp::test
