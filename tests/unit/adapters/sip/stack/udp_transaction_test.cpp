// Server transactions over a real loopback UDP socket (RFC 3261 §17.2, RFC 3581, RFC 6026):
// answers, absorption of retransmissions, Timer G until the ACK, 2xx retransmission, 500 for a
// dropped transaction, and the stack's own rejections.
#include "tests/unit/adapters/sip/stack/stack_harness.hpp"

namespace parley::sip::test {
namespace {

void answer_200(const std::shared_ptr<ServerTransaction>& t) {
  t->respond(make_response(t->request(), 200));
}

// Reads until nothing arrives for `quiet`; returns how many messages came.
int drain(UdpPeer& peer, Millis quiet = 250ms) {
  int n = 0;
  while (peer.receive(quiet)) ++n;
  return n;
}

TEST(SipUdpTransactions, AnswerCarriesReceivedAndRportAndRetransmissionIsAbsorbed) {
  StackHarness h;
  h.handler().policy = answer_200;
  UdpPeer peer(h.server().udp_port());
  const std::string request = make_request({});
  peer.send(request);
  auto response = peer.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  auto via = response->vias().at(0);
  EXPECT_EQ(via.branch(), "z9hG4bKtest1");
  EXPECT_EQ(find_param(via.params, "rport"), std::optional(std::to_string(peer.port())));
  EXPECT_EQ(find_param(via.params, "received"), std::optional<std::string>("127.0.0.1"));
  ASSERT_TRUE(h.handler().wait_requests(1));
  EXPECT_EQ(h.handler().request(0)->flow().transport, Transport::udp);
  EXPECT_EQ(h.handler().request(0)->flow().remote_port, peer.port());

  peer.send(request);  // Timer J: the same answer again, the services see nothing
  auto again = peer.receive();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(h.handler().request_count(), 1u);
}

TEST(SipUdpTransactions, RetransmissionBeforeTheAnswerIsAbsorbedThenProvisionalResent) {
  StackHarness h;
  UdpPeer peer(h.server().udp_port());
  const std::string request = make_request({});
  peer.send(request);
  ASSERT_TRUE(h.handler().wait_requests(1));
  peer.send(request);  // no answer yet: nothing to resend, nothing new for the services
  EXPECT_FALSE(peer.receive(150ms));
  auto t = h.handler().request(0);
  t->respond(make_response(t->request(), 100));
  auto trying = peer.receive();
  ASSERT_TRUE(trying);
  EXPECT_EQ(trying->status, 100);
  peer.send(request);
  auto resent = peer.receive();
  ASSERT_TRUE(resent);
  EXPECT_EQ(resent->status, 100);
  t->respond(make_response(t->request(), 202));
  auto accepted = peer.receive();
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 202);
  t->respond(make_response(t->request(), 200));  // a second final is ignored
  EXPECT_FALSE(peer.receive(150ms));
  EXPECT_EQ(h.handler().request_count(), 1u);
}

TEST(SipUdpTransactions, DroppedTransactionIsAnswered500) {
  StackHarness h;
  UdpPeer peer(h.server().udp_port());
  peer.send(make_request({}));
  ASSERT_TRUE(h.handler().wait_requests(1));
  h.handler().clear();
  auto response = peer.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
}

TEST(SipUdpTransactions, InviteTryingThenTimerGUntilAck) {
  StackHarness h;
  UdpPeer peer(h.server().udp_port());
  RequestSpec invite{.method = "INVITE", .branch = "z9hG4bKinv1"};
  peer.send(make_request(invite));
  auto trying = peer.receive();
  ASSERT_TRUE(trying);
  EXPECT_EQ(trying->status, 100);  // RFC 3261 §17.2.1, before any service answered
  ASSERT_TRUE(h.handler().wait_requests(1));
  auto t = h.handler().request(0);
  t->respond(make_response(t->request(), 486, "", "totag"));
  for (int i = 0; i < 3; ++i) {  // the final, then Timer G retransmissions
    auto busy = peer.receive();
    ASSERT_TRUE(busy) << i;
    EXPECT_EQ(busy->status, 486);
  }
  RequestSpec ack = invite;
  ack.method = "ACK";
  peer.send(make_request(ack));
  EXPECT_LE(drain(peer), 1);                   // one retransmission may have been in flight
  EXPECT_FALSE(peer.receive(300ms));           // Confirmed: no more retransmissions
  EXPECT_EQ(h.handler().request_count(), 1u);  // the ACK of a non-2xx is absorbed
}

TEST(SipUdpTransactions, Invite2xxResentUntilItsAckWhichReachesTheServices) {
  StackHarness h;
  UdpPeer peer(h.server().udp_port());
  RequestSpec invite{.method = "INVITE", .branch = "z9hG4bKinv2", .call_id = "call-2xx"};
  peer.send(make_request(invite));
  ASSERT_TRUE(h.handler().wait_requests(1));
  auto t = h.handler().request(0);
  t->respond(make_response(t->request(), 200, "", "totag"));
  int oks = 0;
  while (oks < 3) {
    auto r = peer.receive();
    ASSERT_TRUE(r);
    if (r->status == 200) ++oks;
  }
  RequestSpec ack = invite;
  ack.method = "ACK";
  ack.branch = "z9hG4bKack2";  // the ACK of a 2xx is a new transaction
  peer.send(make_request(ack));
  ASSERT_TRUE(h.handler().wait_requests(2));
  EXPECT_EQ(h.handler().request(1)->request().method, "ACK");
  EXPECT_LE(drain(peer), 1);
  EXPECT_FALSE(peer.receive(300ms));
}

TEST(SipUdpTransactions, MalformedRequestsGet400WithTheReason) {
  StackHarness h;
  h.handler().policy = answer_200;
  UdpPeer peer(h.server().udp_port());
  std::string request = make_request({});
  request.erase(request.find("Call-ID:"),
                request.find("\r\n", request.find("Call-ID:")) + 2 - request.find("Call-ID:"));
  peer.send(request);
  auto response = peer.receive_raw();  // lacks Call-ID like the request: not parseable
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->starts_with("SIP/2.0 400 missing Call-ID\r\n")) << *response;
  EXPECT_NE(response->find("branch=z9hG4bKtest1"), std::string::npos);
  EXPECT_NE(response->find("CSeq: 1 MESSAGE"), std::string::npos);

  peer.send("complete garbage \x01\x02\xff");
  peer.send(std::string(100, '\0'));
  EXPECT_FALSE(peer.receive(200ms));  // not a request: dropped, not answered
  peer.send(make_request({.branch = "z9hG4bKafter"}));
  auto after = peer.receive();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);  // still serving
  EXPECT_EQ(h.handler().request_count(), 1u);
}

TEST(SipUdpTransactions, StackRejections) {
  StackHarness h;
  h.handler().policy = answer_200;
  UdpPeer peer(h.server().udp_port());
  std::string hops = make_request({.branch = "z9hG4bKmf"});
  hops.replace(hops.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
  peer.send(hops);
  auto r483 = peer.receive();
  ASSERT_TRUE(r483);
  EXPECT_EQ(r483->status, 483);

  peer.send(make_request({.branch = "z9hG4bKreq", .extra = {"Require: foo, outbound"}}));
  auto r420 = peer.receive();
  ASSERT_TRUE(r420);
  EXPECT_EQ(r420->status, 420);
  EXPECT_EQ(r420->header_values("Unsupported"), std::vector<std::string>{"foo"});

  peer.send(make_request({.branch = "z9hG4bKbig", .body = std::string(5000, 'x')}));
  auto r513 = peer.receive();
  ASSERT_TRUE(r513);
  EXPECT_EQ(r513->status, 513);
  EXPECT_EQ(h.handler().request_count(), 0u);

  peer.send(make_request({.method = "FOO", .branch = "z9hG4bKfoo"}));  // services answer those
  auto foo = peer.receive();
  ASSERT_TRUE(foo);
  EXPECT_EQ(foo->status, 200);
  EXPECT_EQ(h.handler().request(0)->request().method, "FOO");
}

TEST(SipUdpTransactions, WithoutRportTheAnswerGoesToTheSentByPort) {
  StackHarness h;
  h.handler().policy = answer_200;
  UdpPeer sender(h.server().udp_port());
  UdpPeer listener(h.server().udp_port());
  sender.send(make_request({.via_port = listener.port(), .rport = false}));
  auto response = listener.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_FALSE(sender.receive(150ms));
}

}  // namespace
}  // namespace parley::sip::test
