// Max-Forwards, Require, Via stamping (RFC 3581), response ports and transaction keys.
#include <gtest/gtest.h>

#include "adapters/sip/request_checks.hpp"

namespace parley::sip {
namespace {

SipMessage request(std::string_view via, std::vector<std::string> extra = {}) {
  std::string text = "MESSAGE sip:a@example.com SIP/2.0\r\nVia: " + std::string(via) +
                     "\r\nFrom: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\n"
                     "Call-ID: c\r\nCSeq: 1 MESSAGE\r\n";
  for (auto& line : extra) text += line + "\r\n";
  text += "\r\n";
  auto parsed = parse_sip(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : SipMessage{};
}

const std::vector<std::string> kSupported{"outbound", "path"};

TEST(RequestChecks, MaxForwards) {
  EXPECT_FALSE(
      check_request(request("SIP/2.0/UDP h;branch=z9hG4bK1", {"Max-Forwards: 70"}), kSupported));
  auto zero =
      check_request(request("SIP/2.0/UDP h;branch=z9hG4bK1", {"Max-Forwards: 0"}), kSupported);
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->status, 483);
  auto bad =
      check_request(request("SIP/2.0/UDP h;branch=z9hG4bK1", {"Max-Forwards: many"}), kSupported);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST(RequestChecks, RequireListsUnsupportedTags) {
  EXPECT_FALSE(
      check_request(request("SIP/2.0/UDP h;branch=z9hG4bK1", {"Require: Outbound"}), kSupported));
  auto r = check_request(
      request("SIP/2.0/UDP h;branch=z9hG4bK1", {"Require: path, 100rel", "Require: foo"}),
      kSupported);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 420);
  ASSERT_EQ(r->headers.size(), 2u);
  EXPECT_EQ(r->headers[0], (std::pair<std::string, std::string>{"Unsupported", "100rel"}));
  EXPECT_EQ(r->headers[1].second, "foo");
}

TEST(RequestChecks, StampsReceivedAndRport) {
  auto source = boost::asio::ip::make_address("192.0.2.7");
  SipMessage m = request("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport");
  stamp_top_via(m, source, 40000);
  auto via = m.vias().at(0);
  EXPECT_EQ(find_param(via.params, "received"), std::optional<std::string>("192.0.2.7"));
  EXPECT_EQ(find_param(via.params, "rport"), std::optional<std::string>("40000"));
  EXPECT_EQ(response_port(m, 1), 40000);

  SipMessage same = request("SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bK1");
  stamp_top_via(same, source, 40000);
  EXPECT_FALSE(find_param(same.vias().at(0).params, "received"));  // RFC 3261 §18.2.1
  EXPECT_EQ(response_port(same, 40000), 5070);                     // sent-by port without rport

  SipMessage named = request("SIP/2.0/UDP client.example.com;branch=z9hG4bK1");
  stamp_top_via(named, source, 40000);
  EXPECT_EQ(find_param(named.vias().at(0).params, "received"),
            std::optional<std::string>("192.0.2.7"));
  EXPECT_EQ(response_port(named, 40000), 5060);
}

TEST(RequestChecks, TransactionKeys) {
  SipMessage invite = request("SIP/2.0/UDP h:5060;branch=z9hG4bKabc");
  EXPECT_EQ(server_transaction_key(invite, "INVITE"), server_transaction_key(invite, "ACK"));
  EXPECT_NE(server_transaction_key(invite, "INVITE"), server_transaction_key(invite, "CANCEL"));
  SipMessage other_host = request("SIP/2.0/UDP h2:5060;branch=z9hG4bKabc");
  EXPECT_NE(server_transaction_key(invite, "MESSAGE"),
            server_transaction_key(other_host, "MESSAGE"));
  SipMessage old = request("SIP/2.0/UDP h:5060;branch=1234");
  EXPECT_TRUE(server_transaction_key(old, "MESSAGE").starts_with("2543|"));
  EXPECT_EQ(make_branch("xyz"), "z9hG4bKxyz");
}

}  // namespace
}  // namespace parley::sip
