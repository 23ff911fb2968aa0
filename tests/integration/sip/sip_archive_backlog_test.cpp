// A SIP sender while the archive's rows wait for the database: over TCP its connection stops
// being read from archive.max_pending / 2 rows until the store took the batch (as XMPP senders
// are held), so every MESSAGE is accepted, delivered and archived, and nothing is dropped.
// commit_delay_ms holds the rows pending for a second, so the watermark (20 rows: 10 messages,
// a row for the SIP sender and one for the XMPP recipient each) is reached long before the
// commit. Without the hold the last rows past max_pending (40) would be dropped.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/sip_helpers.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class SipArchiveBacklogTest : public DaemonSuite<SipArchiveBacklogTest> {
 public:
  static constexpr const char* kToken = "it-admin-token-0123456789";
  static nlohmann::json daemon_config() {
    nlohmann::json config = sip_daemon_config();
    config["archive"] = {{"enabled", true}, {"max_pending", 40}, {"commit_delay_ms", 1000}};
    config["admin"] = {
        {"http", {{"enabled", true}, {"address", "127.0.0.1"}, {"port", 0}, {"token", kToken}}}};
    return config;
  }
  static std::uint64_t archive_dropped() {
    const auto reply = http_get(daemon().admin_http_port(), "/api/v1/health", kToken);
    if (reply.status != 200) throw std::runtime_error("health: " + reply.body);
    return nlohmann::json::parse(reply.body).at("archive_dropped").get<std::uint64_t>();
  }
};

TEST_F(SipArchiveBacklogTest, TcpSenderIsHeldInsteadOfRefusedOrLosingArchiveRows) {
  const Account alice = daemon().new_account("alice");  // XMPP
  const Account bob = daemon().new_account("bob");      // SIP over TCP
  auto xmpp = online(daemon(), alice);
  auto sip = sip_registered(daemon(), bob, SipTransport::tcp);
  // 30 messages make 60 rows, more than max_pending, within the commit delay.
  constexpr int kMessages = 30;
  for (int i = 0; i < kMessages; ++i) {
    const std::string body = "held " + std::to_string(i);
    SipMsg m = sip->request("MESSAGE", sip_aor(alice), sip_aor(alice));
    m.remove("Contact");
    m.set("Content-Type", "text/plain");
    m.body = body;
    SipMsg answer = expect_response(*sip, std::move(m), "MESSAGE " + std::to_string(i));
    ASSERT_TRUE(answer.status == 200 || answer.status == 202) << answer.summary();
    expect(*xmpp, message_with_body(body), "delivery of " + body);
  }
  EXPECT_EQ(archive_dropped(), 0u);
}

}  // namespace
}  // namespace parley::it
