// TCP and TLS transports (RFC 3261 §18.3, RFC 5626 §4.4.1): framing of back-to-back messages,
// answers on the same connection, CRLF keepalive pong, 413 then close, 400 without closing,
// idle timeout, TLS.
#include <atomic>

#include "tests/unit/adapters/sip/stack/stack_harness.hpp"

namespace parley::sip::test {
namespace {

void answer_200(const std::shared_ptr<ServerTransaction>& t) {
  t->respond(make_response(t->request(), 200));
}

TEST(SipStreamTransport, BackToBackMessagesAndKeepalivePing) {
  StackHarness h;
  h.handler().policy = answer_200;
  TcpPeer peer(h.server().tcp_port());
  peer.send("\r\n\r\n" + make_request({.branch = "z9hG4bKa", .transport = "TCP"}) +
            make_request({.branch = "z9hG4bKb", .transport = "TCP", .body = "x"}) + "\r\n\r\n");
  auto first = peer.receive();
  auto second = peer.receive();
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->vias().at(0).branch(), "z9hG4bKa");
  EXPECT_EQ(second->vias().at(0).branch(), "z9hG4bKb");
  EXPECT_TRUE(peer.wait_pongs(2));
  ASSERT_TRUE(h.handler().wait_requests(2));
  EXPECT_EQ(h.handler().request(1)->request().body, "x");
  EXPECT_EQ(h.handler().request(0)->flow(), h.handler().request(1)->flow());
  EXPECT_EQ(h.server().connection_count(), 1u);
}

TEST(SipStreamTransport, MessageSplitAcrossWrites) {
  StackHarness h;
  h.handler().policy = answer_200;
  TcpPeer peer(h.server().tcp_port());
  std::string request = make_request({.transport = "TCP", .body = "hello"});
  for (std::size_t i = 0; i < request.size(); i += 7) peer.send(request.substr(i, 7));
  auto response = peer.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(h.handler().request(0)->request().body, "hello");
}

TEST(SipStreamTransport, TooLargeIs413ThenClose) {
  StackHarness h;
  TcpPeer peer(h.server().tcp_port());
  std::string request = make_request({.transport = "TCP"});
  request.replace(request.find("Content-Length: 0"), 17, "Content-Length: 100000");
  peer.send(request);
  auto response = peer.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(peer.wait_closed());
  ASSERT_TRUE(h.handler().wait_closed(1));
  EXPECT_EQ(h.handler().request_count(), 0u);
}

TEST(SipStreamTransport, MalformedIs400AndTheConnectionStays) {
  StackHarness h;
  h.handler().policy = answer_200;
  TcpPeer peer(h.server().tcp_port());
  std::string bad = make_request({.branch = "z9hG4bKbad", .transport = "TCP"});
  bad.replace(bad.find("CSeq: 1 MESSAGE"), 15, "CSeq: 1 INVITE");
  peer.send(bad);
  auto r400 = peer.receive();
  ASSERT_TRUE(r400);
  EXPECT_EQ(r400->status, 400);
  peer.send(make_request({.branch = "z9hG4bKgood", .transport = "TCP"}));
  auto ok = peer.receive();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(SipStreamTransport, AHeldConnectionReadsNothingUntilReleasedAndIsNotIdleMeanwhile) {
  // While the read gate holds (the archive is backlogged), a TCP peer's requests stay in its
  // socket: TCP flow control pauses it, nothing is refused; longer than the idle timeout
  // does not close it, since it is we who do not read.
  SipConfig config = test_config();
  config.idle_timeout = std::chrono::seconds(1);
  std::atomic<bool> hold{true};
  StackHarness h(config, [&hold] { return hold.load(); });
  h.handler().policy = answer_200;
  TcpPeer peer(h.server().tcp_port());
  peer.send(make_request({.transport = "TCP", .body = "held"}));
  EXPECT_FALSE(h.handler().wait_requests(1, 1500ms));
  EXPECT_EQ(h.server().connection_count(), 1u);
  hold = false;
  ASSERT_TRUE(h.handler().wait_requests(1));
  EXPECT_EQ(h.handler().request(0)->request().body, "held");
  auto response = peer.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(SipStreamTransport, IdleConnectionIsClosed) {
  SipConfig config = test_config();
  config.idle_timeout = std::chrono::seconds(1);
  StackHarness h(config);
  TcpPeer peer(h.server().tcp_port());
  EXPECT_TRUE(peer.wait_closed(4000ms));
  ASSERT_TRUE(h.handler().wait_closed(1));
  EXPECT_EQ(h.handler().closed().at(0).transport, Transport::tcp);
}

TEST(SipStreamTransport, TlsRequestAndAnswer) {
  StackHarness h;
  h.handler().policy = answer_200;
  TcpPeer peer(h.server().tls_port(), /*tls=*/true);
  peer.send(make_request({.transport = "TLS"}) + "\r\n\r\n");
  auto response = peer.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(peer.wait_pongs(1));
  ASSERT_TRUE(h.handler().wait_requests(1));
  const Flow flow = h.handler().request(0)->flow();
  EXPECT_EQ(flow.transport, Transport::tls);
  EXPECT_TRUE(flow.to_string().starts_with("tls:127.0.0.1:"));
  EXPECT_EQ(find_param(h.server().local_uri(flow).params, "transport"),
            std::optional<std::string>("tls"));
}

}  // namespace
}  // namespace parley::sip::test
