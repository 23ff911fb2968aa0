// Limits, bad input and shutdown over loopback TCP.
#include <random>
#include <thread>

#include "tests/unit/adapters/xmpp/session/loopback.hpp"

namespace parley::xmpp::test {
namespace {

using Limits = Loopback;

std::string first_child(const wire::XmlElement& e) {
  auto children = e.element_children();
  return children.empty() ? std::string() : children.front()->name();
}

TEST_F(Limits, NotWellFormedClosesOnlyThatStream) {
  start();
  auto good = logged_in("bob", "hunter2", "phone");
  ASSERT_NE(good, nullptr);
  auto bad = connect();
  ASSERT_TRUE(open(*bad));
  bad->send("<a><b></a>");
  auto error = bad->next_named("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(first_child(*error), "not-well-formed");
  EXPECT_TRUE(bad->wait_closed());
  // The other session is untouched.
  good->send("<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>");
  auto pong = good->next_named("iq");
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->attr_or("type"), "result");
}

TEST_F(Limits, RestrictedXml) {
  start();
  auto client = connect();
  client->send("<?xml version='1.0'?><!DOCTYPE foo [<!ENTITY x 'y'>]><stream:stream/>");
  EXPECT_TRUE(client->wait_closed());
}

TEST_F(Limits, OversizedStanzaIsAPolicyViolation) {
  XmppConfig config = test_config();
  config.max_stanza_bytes = 4096;
  start(config);
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<message to='bob@localhost'><body>" + std::string(10000, 'x') +
               "</body></message>");
  auto error = client->next_named("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(first_child(*error), "policy-violation");
  EXPECT_TRUE(core_.locked([&] { return core_.messages.empty(); }));
}

TEST_F(Limits, GarbageNeverCrashesTheServer) {
  start();
  std::mt19937 random(12345);
  const std::vector<std::string> prefixes = {
      "", "<?xml version='1.0'?>",
      "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
      "to='localhost' version='1.0'>"};
  for (int round = 0; round < 40; ++round) {
    auto client = connect();
    std::string bytes = prefixes[round % prefixes.size()];
    std::uniform_int_distribution<int> length(1, 600);
    std::uniform_int_distribution<int> byte(0, 255);
    const std::string alphabet = "<>/='\"&;:!?[]- abcxmlns\n\t\x01\xff";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    for (int i = length(random); i > 0; --i) {
      bytes.push_back(round % 2 ? static_cast<char>(byte(random)) : alphabet[pick(random)]);
    }
    client->send(bytes);
    client->send("</stream:stream>");
    // Either the stream is refused or it waits for more: the server closes it in time.
    client->close();
  }
  // Still serving.
  auto alice = logged_in("alice", "secret", "pc");
  ASSERT_NE(alice, nullptr);
  alice->send("<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>");
  EXPECT_TRUE(alice->next_named("iq"));
}

TEST_F(Limits, GarbageAfterLoginGetsAStreamError) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("<message><body>&bogus;</body></message>");
  auto error = client->next_named("error");
  ASSERT_TRUE(error);
  EXPECT_TRUE(client->wait_closed());
}

TEST_F(Limits, ReadRateIsThrottledNotDropped) {
  XmppConfig config = test_config();
  config.read_rate_bytes_per_second = 20000;
  config.read_burst_bytes = 2000;
  start(config);
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  const auto before = std::chrono::steady_clock::now();
  client->send("<message to='bob@localhost'><body>" + std::string(8000, 'y') + "</body></message>");
  ASSERT_TRUE(core_.wait([&] { return !core_.messages.empty(); }));
  const auto elapsed = std::chrono::steady_clock::now() - before;
  EXPECT_GE(elapsed, 250ms);  // ~8 KB over 20 KB/s after a 2 KB burst
  EXPECT_EQ(core_.locked([&] { return core_.messages.front().body.size(); }), 8000u);
}

TEST_F(Limits, SlowReaderIsDisconnected) {
  XmppConfig config = test_config();
  config.outbox_high_watermark = 4;
  start(config);
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  auto endpoint = core_.endpoint(addr("alice@localhost/pc"));
  auto message = std::make_shared<model::Message>();
  message->from = addr("bob@localhost/phone");
  message->to = addr("alice@localhost/pc");
  message->body = std::string(64 * 1024, 'z');
  // The client reads nothing: the socket buffers fill, then the outbox.
  for (int i = 0; i < 2000; ++i) endpoint->deliver(api::MessageDelivery{message});
  ASSERT_TRUE(core_.wait([&] { return !core_.unbinds.empty(); }, 20s));
  EXPECT_FALSE(core_.is_bound(addr("alice@localhost/pc")));
}

TEST_F(Limits, StopEndsSessionsWithSystemShutdown) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(server_->session_count(), 1u);
  auto promise = std::make_shared<std::promise<void>>();
  auto future = promise->get_future();
  server_->stop([promise] { promise->set_value(); });
  auto error = client->next_named("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(first_child(*error), "system-shutdown");
  client->send("</stream:stream>");
  EXPECT_TRUE(client->wait_closed());
  EXPECT_TRUE(client->stream_closed_by_server());
  EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(server_->session_count(), 0u);
  stopped_ = true;
  // New connections are refused once stopped.
  EXPECT_THROW(TestClient(server_->c2s_port()), boost::system::system_error);
}

TEST_F(Limits, StartReportsAPortInUse) {
  start();
  XmppConfig config = test_config();
  config.c2s.port = server_->c2s_port();
  XmppServer second(io_, config, tls_, core_, store_, cpu_work_, rooms_, archive_);
  try {
    second.start();
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("xmpp.c2s: 127.0.0.1:"), std::string::npos) << e.what();
  }
}

TEST_F(Limits, IdleTimeout) {
  XmppConfig config = test_config();
  config.idle_timeout = std::chrono::seconds(1);
  start(config);
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  auto error = client->next_named("error", 5s);
  ASSERT_TRUE(error);
  EXPECT_EQ(first_child(*error), "connection-timeout");
}

TEST_F(Limits, WhitespaceKeepalive) {
  XmppConfig config = test_config();
  config.keepalive_interval = std::chrono::seconds(1);
  start(config);
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  // Only whitespace arrives (the parser ignores it); the connection stays open.
  const std::size_t before = client->bytes_received();
  EXPECT_FALSE(client->next(2500ms));
  EXPECT_GE(client->bytes_received(), before + 2);  // at least two keepalives
  EXPECT_FALSE(client->wait_closed(100ms));
  client->send("<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>");
  EXPECT_TRUE(client->next_named("iq"));
}

// xmpp.timeouts.parser_rest_s: a quiet stream frees its parser; the next bytes rebuild it and
// the stream goes on as if nothing happened (default namespace, stream prefix, open stanzas).
TEST_F(Limits, QuietStreamRestsItsParserAndWakesOnTheNextBytes) {
  XmppConfig config = test_config();
  config.parser_rest_after = std::chrono::seconds(1);
  start(config);
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  const auto wait_resting = [&](std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (server_->resting_parser_count() != count &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);  // polling a counter another thread sets
    }
    return server_->resting_parser_count() == count;
  };
  ASSERT_TRUE(wait_resting(1));
  client->send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
  auto pong = client->next_named("iq");
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->attr_or("type"), "result");
  EXPECT_EQ(pong->attr_or("id"), "p1");
  // Rests again after the next quiet spell (the wake re-armed the tick).
  ASSERT_TRUE(wait_resting(1));
  // Half a stanza: the parser must not rest in the middle of it.
  client->send("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/>");
  ASSERT_TRUE(wait_resting(0));
  std::this_thread::sleep_for(1500ms);  // past parser_rest_s with the stanza still open
  EXPECT_EQ(server_->resting_parser_count(), 0u);
  client->send("</iq>");
  pong = client->next_named("iq");
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->attr_or("id"), "p2");
  // Rested, then closed: the woken parser still knows the stream element's prefix.
  ASSERT_TRUE(wait_resting(1));
  client->send("</stream:stream>");
  EXPECT_TRUE(client->wait_closed());
  EXPECT_TRUE(client->stream_closed_by_server());
  EXPECT_TRUE(wait_resting(0));
}

}  // namespace
}  // namespace parley::xmpp::test
