// XEP-0198 over loopback TCP: acks, detaching, resumption, expiry.
#include <memory>

#include "tests/unit/adapters/xmpp/session/loopback.hpp"

namespace parley::xmpp::test {
namespace {

using Resumption = Loopback;

std::shared_ptr<model::Message> chat(std::string body) {
  auto message = std::make_shared<model::Message>();
  message->from = *model::Address::parse("bob@localhost/phone");
  message->to = *model::Address::parse("alice@localhost/pc");
  message->type = model::MessageType::chat;
  message->body = std::move(body);
  message->stamp = std::chrono::system_clock::now();
  return message;
}

// Enables SM with resumption; returns the id.
std::string enable(TestClient& client) {
  client.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
  auto enabled = client.next_named("enabled");
  if (!enabled) return {};
  EXPECT_EQ(enabled->attr_or("resume"), "true");
  EXPECT_EQ(enabled->attr_or("max"), "300");
  return enabled->attr_or("id");
}

TEST_F(Resumption, AnswersAckRequestsWithTheInboundCount) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  ASSERT_FALSE(enable(*client).empty());
  client->send("<presence/><message to='bob@localhost'><body>x</body></message>");
  client->send("<r xmlns='urn:xmpp:sm:3'/>");
  auto ack = client->next_named("a");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->attr_or("h"), "2");
}

TEST_F(Resumption, EnableBeforeBindFails) {
  start();
  auto client = connect();
  ASSERT_TRUE(authenticate(*client, "alice", "secret"));
  client->send("<enable xmlns='urn:xmpp:sm:3'/>");
  auto failed = client->next();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->name(), "failed");
}

TEST_F(Resumption, ServerRequestsAcksAndTooHighAckIsAnError) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  ASSERT_FALSE(enable(*client).empty());
  auto endpoint = core_.endpoint(addr("alice@localhost/pc"));
  for (int i = 0; i < 5; ++i)
    endpoint->deliver(api::MessageDelivery{chat("m" + std::to_string(i))});
  auto request = client->next_named("r");
  ASSERT_TRUE(request);
  client->send("<a xmlns='urn:xmpp:sm:3' h='9'/>");  // only 5 were sent
  auto error = client->next_named("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->element_children().front()->name(), "undefined-condition");
}

TEST_F(Resumption, ResumeRetransmitsWhatWasNotAcked) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  const std::string id = enable(*client);
  ASSERT_FALSE(id.empty());
  auto endpoint = core_.endpoint(addr("alice@localhost/pc"));
  ASSERT_NE(endpoint, nullptr);
  endpoint->deliver(api::MessageDelivery{chat("one")});
  endpoint->deliver(api::MessageDelivery{chat("two")});
  ASSERT_TRUE(client->next_named("message"));
  ASSERT_TRUE(client->next_named("message"));
  client->send("<a xmlns='urn:xmpp:sm:3' h='1'/>");  // "one" acked
  client->send("<presence/>");                       // inbound 1
  ASSERT_TRUE(core_.wait([&] { return !core_.presences.empty(); }));
  client->close();  // unclean loss

  // While detached, the endpoint stays bound and deliveries queue up.
  endpoint->deliver(api::MessageDelivery{chat("three")});

  auto again = connect();
  ASSERT_TRUE(authenticate(*again, "alice", "secret"));
  again->send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='1'/>");
  auto resumed = again->next_named("resumed", 10s);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->attr_or("previd"), id);
  EXPECT_EQ(resumed->attr_or("h"), "1");
  auto two = again->next_named("message");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->child_text("body"), "two");
  auto three = again->next_named("message");
  ASSERT_TRUE(three);
  EXPECT_EQ(three->child_text("body"), "three");
  // Never unbound in between, and deliveries now reach the new connection.
  EXPECT_TRUE(core_.locked([&] { return core_.unbinds.empty(); }));
  endpoint->deliver(api::MessageDelivery{chat("four")});
  auto four = again->next_named("message");
  ASSERT_TRUE(four);
  EXPECT_EQ(four->child_text("body"), "four");
  // Counters continue: 3 unacked + "four" = h 5 acknowledges everything.
  again->send("<a xmlns='urn:xmpp:sm:3' h='4'/><r xmlns='urn:xmpp:sm:3'/>");
  auto ack = again->next_named("a");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->attr_or("h"), "1");
}

TEST_F(Resumption, UnknownPrevidFailsAndBindingStillWorks) {
  start();
  auto client = connect();
  ASSERT_TRUE(authenticate(*client, "alice", "secret"));
  client->send("<resume xmlns='urn:xmpp:sm:3' previd='nope' h='0'/>");
  auto failed = client->next();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->name(), "failed");
  EXPECT_NE(failed->child("item-not-found"), nullptr);
  EXPECT_EQ(bind(*client, "pc"), "alice@localhost/pc");
}

TEST_F(Resumption, AnotherAccountCannotResume) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  const std::string id = enable(*client);
  client->close();
  auto bob = connect();
  ASSERT_TRUE(authenticate(*bob, "bob", "hunter2"));
  bob->send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='0'/>");
  auto failed = bob->next();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->name(), "failed");
}

TEST_F(Resumption, ExpiryUnbindsAndReroutesUnackedMessages) {
  XmppConfig config = test_config();
  config.resume_timeout = std::chrono::seconds(1);
  start(config);
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
  ASSERT_TRUE(client->next_named("enabled"));
  auto endpoint = core_.endpoint(addr("alice@localhost/pc"));
  auto original = chat("keep me");
  endpoint->deliver(api::MessageDelivery{original});
  ASSERT_TRUE(client->next_named("message"));
  client->close();
  ASSERT_TRUE(core_.wait([&] { return !core_.unbinds.empty() && !core_.messages.empty(); }));
  auto rerouted = core_.locked([&] { return core_.messages.front(); });
  EXPECT_EQ(rerouted.body, "keep me");
  EXPECT_EQ(rerouted.from, original->from);
  EXPECT_EQ(rerouted.to, original->to);
  EXPECT_TRUE(rerouted.delayed);
  EXPECT_EQ(rerouted.stamp, original->stamp);
  EXPECT_FALSE(core_.is_bound(addr("alice@localhost/pc")));
}

TEST_F(Resumption, CleanCloseIsNotResumable) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  const std::string id = enable(*client);
  client->send("</stream:stream>");
  EXPECT_TRUE(client->wait_closed());
  ASSERT_TRUE(core_.wait([&] { return !core_.unbinds.empty(); }));
  auto again = connect();
  ASSERT_TRUE(authenticate(*again, "alice", "secret"));
  again->send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='0'/>");
  auto failed = again->next();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->name(), "failed");
}

}  // namespace
}  // namespace parley::xmpp::test
