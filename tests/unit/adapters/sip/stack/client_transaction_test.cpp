// Client (non-INVITE) transactions toward a client over loopback (RFC 3261 §17.1.2): our Via,
// Timer E retransmission, Timer F -> 408, answers, and 430 for a dead TCP flow (RFC 5626).
#include "tests/unit/adapters/sip/stack/stack_harness.hpp"

namespace parley::sip::test {
namespace {

SipMessage outgoing_message(std::uint16_t port) {
  SipMessage m;
  m.method = "MESSAGE";
  m.request_uri = *SipUri::parse("sip:bob@127.0.0.1:" + std::to_string(port));
  m.add_header("From", "<sip:alice@example.com>;tag=a1");
  m.add_header("To", "<sip:bob@example.com>");
  m.add_header("Call-ID", "out-1");
  m.add_header("CSeq", "1 MESSAGE");
  m.add_header("Content-Type", "text/plain");
  m.body = "hi";
  return m;
}

Flow udp_flow(std::uint16_t port) {
  return Flow{Transport::udp, boost::asio::ip::make_address("127.0.0.1"), port, 0};
}

TEST(SipClientTransactions, TimerERetransmitsThenTimerFGives408) {
  StackHarness h;
  UdpPeer peer(h.server().udp_port());
  std::promise<ClientOutcome> outcome;
  auto start = std::chrono::steady_clock::now();
  h.server().send_request(outgoing_message(peer.port()), udp_flow(peer.port()),
                          [&](ClientOutcome o) { outcome.set_value(std::move(o)); });
  auto first = peer.receive();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->method, "MESSAGE");
  EXPECT_EQ(first->body, "hi");
  auto via = first->vias().at(0);
  EXPECT_TRUE(via.branch().starts_with("z9hG4bK"));
  EXPECT_EQ(via.transport, "UDP");
  EXPECT_EQ(via.host, "127.0.0.1");
  EXPECT_EQ(via.port, h.server().udp_port());
  EXPECT_TRUE(find_param(via.params, "rport"));
  EXPECT_EQ(first->header("Max-Forwards"), std::optional<std::string>("70"));
  auto second = peer.receive();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->vias().at(0).branch(), via.branch());  // a retransmission, same branch

  auto future = outcome.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  auto result = future.get();
  EXPECT_EQ(result.status, 408);
  EXPECT_FALSE(result.response);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 64 * 20ms);  // Timer F = 64*T1
}

TEST(SipClientTransactions, ProvisionalThenFinalCompletes) {
  StackHarness h;
  UdpPeer peer(h.server().udp_port());
  std::promise<ClientOutcome> outcome;
  h.server().send_request(outgoing_message(peer.port()), udp_flow(peer.port()),
                          [&](ClientOutcome o) { outcome.set_value(std::move(o)); });
  auto request = peer.receive();
  ASSERT_TRUE(request);
  peer.reply(make_response(*request, 100));
  SipMessage ok = make_response(*request, 200, "", "bobtag");
  peer.reply(ok);
  auto future = outcome.get_future();
  ASSERT_EQ(future.wait_for(3s), std::future_status::ready);
  auto result = future.get();
  EXPECT_EQ(result.status, 200);
  ASSERT_TRUE(result.response);
  EXPECT_EQ(find_param(result.response->to()->params, "tag"), std::optional<std::string>("bobtag"));
  peer.reply(ok);  // a retransmitted final is absorbed (Timer K)
  // Once answered nothing is retransmitted any more (one may have crossed the answer).
  while (peer.receive(250ms)) {
  }
  EXPECT_FALSE(peer.receive(200ms));
}

TEST(SipClientTransactions, ErrorFinalIsReported) {
  StackHarness h;
  UdpPeer peer(h.server().udp_port());
  std::promise<ClientOutcome> outcome;
  h.server().send_request(outgoing_message(peer.port()), udp_flow(peer.port()),
                          [&](ClientOutcome o) { outcome.set_value(std::move(o)); });
  auto request = peer.receive();
  ASSERT_TRUE(request);
  peer.reply(make_response(*request, 415));
  auto future = outcome.get_future();
  ASSERT_EQ(future.wait_for(3s), std::future_status::ready);
  EXPECT_EQ(future.get().status, 415);
}

TEST(SipClientTransactions, DeadTcpFlowGives430) {
  StackHarness h;
  Flow unknown{Transport::tcp, boost::asio::ip::make_address("127.0.0.1"), 1, 999};
  std::promise<ClientOutcome> outcome;
  h.server().send_request(outgoing_message(1), unknown,
                          [&](ClientOutcome o) { outcome.set_value(std::move(o)); });
  auto future = outcome.get_future();
  ASSERT_EQ(future.wait_for(3s), std::future_status::ready);
  EXPECT_EQ(future.get().status, 430);
}

TEST(SipClientTransactions, OverTcpToTheRegisteredConnectionAnd430WhenItCloses) {
  StackHarness h;
  h.handler().policy = [](const std::shared_ptr<ServerTransaction>& t) {
    t->respond(make_response(t->request(), 200));
  };
  TcpPeer peer(h.server().tcp_port());
  peer.send(make_request({.method = "REGISTER", .transport = "TCP"}));
  ASSERT_TRUE(peer.receive());
  ASSERT_TRUE(h.handler().wait_requests(1));
  const Flow flow = h.handler().request(0)->flow();
  EXPECT_EQ(flow.transport, Transport::tcp);
  EXPECT_NE(flow.connection_id, 0u);

  SipUri contact = h.server().local_uri(flow);
  EXPECT_EQ(contact.port, h.server().tcp_port());
  EXPECT_EQ(find_param(contact.params, "transport"), std::optional<std::string>("tcp"));

  std::promise<ClientOutcome> answered;
  h.server().send_request(outgoing_message(peer.port()), flow,
                          [&](ClientOutcome o) { answered.set_value(std::move(o)); });
  auto request = peer.receive();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->vias().at(0).transport, "TCP");
  peer.send(serialize(make_response(*request, 200)));
  auto answered_future = answered.get_future();
  ASSERT_EQ(answered_future.wait_for(3s), std::future_status::ready);
  EXPECT_EQ(answered_future.get().status, 200);

  std::promise<ClientOutcome> pending;
  h.server().send_request(outgoing_message(peer.port()), flow,
                          [&](ClientOutcome o) { pending.set_value(std::move(o)); });
  ASSERT_TRUE(peer.receive());
  peer.close();
  auto pending_future = pending.get_future();
  ASSERT_EQ(pending_future.wait_for(3s), std::future_status::ready);
  EXPECT_EQ(pending_future.get().status, 430);
  ASSERT_TRUE(h.handler().wait_closed(1));
  EXPECT_EQ(h.handler().closed().at(0), flow);
}

}  // namespace
}  // namespace parley::sip::test
