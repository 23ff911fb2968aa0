// Overload protection: a flooding source is rate limited and a full transaction table answers
// 503 with Retry-After (RFC 3261 §21.5.4) instead of queueing; known transactions are still
// served.
#include <chrono>
#include <thread>

#include "tests/unit/adapters/sip/stack/stack_harness.hpp"

namespace parley::sip::test {
namespace {

TEST(SipOverload, FloodFromOneSourceGets503RetryAfter) {
  SipConfig config = test_config();
  config.requests_per_second_per_source = 0.01;  // no refill during the test
  config.request_burst_per_source = 2;
  StackHarness h(config);
  h.handler().policy = [](const std::shared_ptr<ServerTransaction>& t) {
    t->respond(make_response(t->request(), 200));
  };
  UdpPeer peer(h.server().udp_port());
  const std::string first = make_request({.branch = "z9hG4bK1"});
  peer.send(first);
  ASSERT_EQ(peer.receive()->status, 200);
  peer.send(make_request({.branch = "z9hG4bK2"}));
  ASSERT_EQ(peer.receive()->status, 200);
  peer.send(make_request({.branch = "z9hG4bK3"}));
  auto limited = peer.receive();
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 503);
  EXPECT_EQ(limited->header("Retry-After"), std::optional<std::string>("5"));
  EXPECT_EQ(h.handler().request_count(), 2u);
  peer.send(first);  // a retransmission of a known transaction is still answered
  auto again = peer.receive();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST(SipOverload, FullTransactionTableGets503RetryAfter) {
  SipConfig config = test_config();
  config.max_transactions = 1;
  config.retry_after = std::chrono::seconds(7);
  StackHarness h(config);
  UdpPeer peer(h.server().udp_port());
  peer.send(make_request({.branch = "z9hG4bKheld"}));
  ASSERT_TRUE(h.handler().wait_requests(1));
  peer.send(make_request({.branch = "z9hG4bKmore", .call_id = "other"}));
  auto busy = peer.receive();
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_EQ(busy->header("Retry-After"), std::optional<std::string>("7"));
  EXPECT_EQ(h.handler().request_count(), 1u);
  EXPECT_EQ(h.server().transaction_count(), 1u);
}

TEST(SipOverload, AnsweredTransactionsDoNotCountAsInFlight) {
  SipConfig config = test_config();
  config.max_transactions = 1;
  StackHarness h(config);
  h.handler().policy = [](const std::shared_ptr<ServerTransaction>& t) {
    t->respond(make_response(t->request(), 200));
  };
  UdpPeer peer(h.server().udp_port());
  // The first one lingers in Completed (Timer J) but is no longer in flight.
  peer.send(make_request({.branch = "z9hG4bKone"}));
  ASSERT_EQ(peer.receive()->status, 200);
  peer.send(make_request({.branch = "z9hG4bKtwo", .call_id = "two"}));
  auto second = peer.receive();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  // The count drops on the server's strand right after the answer went out: wait for it (bounded).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (h.server().transaction_count() != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(h.server().transaction_count(), 0u);
}

TEST(SipOverload, MalformedFloodIsSilencedPastTheRate) {
  SipConfig config = test_config();
  config.requests_per_second_per_source = 0.01;
  config.request_burst_per_source = 1;
  StackHarness h(config);
  UdpPeer peer(h.server().udp_port());
  std::string bad = make_request({});
  bad.replace(bad.find("CSeq: 1 MESSAGE"), 15, "CSeq: x MESSAGE");
  peer.send(bad);
  auto first = peer.receive_raw();
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->starts_with("SIP/2.0 400 ")) << *first;
  peer.send(bad);
  EXPECT_FALSE(peer.receive_raw(200ms));
}

}  // namespace
}  // namespace parley::sip::test
