// Issue 6: "an exporter that fails for a while and then recovers loses nothing; the queue's
// state is visible from the CLI". An HTTP receiver inside the test answers 500 at first: the
// events wait in the outbox, and both `parleyctl compliance status` and the admin API show the
// depth and the last error. Then it answers 200: every event arrives, in order, and the
// outbox drains.
#include <gtest/gtest.h>

#include <set>

#include "tests/integration/compliance/compliance_support.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;
using namespace compliance;
using std::chrono::milliseconds;

constexpr int kPosts = 200;

TEST(ComplianceExporterRecoveryTest, AFailingReceiverLosesNothingAndTheFailureIsVisible) {
  std::atomic<bool> failing{true};
  ReceiverServer receiver([&failing](int) { return failing ? 500 : 200; });
  ParleydProcess daemon(nlohmann::json{
      {"compliance",
       {{"enabled", true},
        {"events", {"room.*"}},
        {"poll_interval_ms", 50},
        {"retry_min_ms", 50},
        {"retry_max_ms", 200},
        {"exporters",
         {{{"name", "vault"},
           {"type", "http"},
           {"url", "http://127.0.0.1:" + std::to_string(receiver.port()) + "/events"},
           {"timeout_ms", 2000}}}}}},
      {"admin",
       {{"http",
         {{"enabled", true}, {"address", "127.0.0.1"}, {"port", 0}, {"token", kAdminToken}}}}},
  });
  daemon.start();
  const std::string room = room_jid(daemon, "audited");
  const Account alice = daemon.new_account("alice");
  auto client = online(daemon, alice);
  enter(*client, room, "al", 0);
  std::vector<std::string> ids;
  for (int i = 0; i < kPosts; ++i) {
    ids.push_back("post-" + std::to_string(i));
    client->send(groupchat(room, "text " + std::to_string(i), ids.back()));
  }
  for (const auto& id : ids) {
    expect(
        *client, [&](const XmlNode& n) { return n.attr_or("id") == id; }, "the echo of " + id);
  }

  // While the receiver fails: the queue holds the events, and says why.
  nlohmann::json status;
  ASSERT_TRUE(poll_until(
      [&] {
        status = ctl_status(daemon);
        const auto& exporters = status["exporters"];
        return status.value("depth", 0) >= kPosts && exporters.size() == 1 &&
               !exporters[0].value("last_error", "").empty() && receiver.refused() >= 2;
      },
      milliseconds(20000)))
      << status.dump();
  EXPECT_NE(status["exporters"][0]["last_error"].get<std::string>().find("500"), std::string::npos)
      << status.dump();
  EXPECT_GT(status.value("oldest_age_s", 0.0), 0.0) << status.dump();
  const auto api = http_get(daemon.admin_http_port(), "/api/v1/compliance/status", kAdminToken);
  ASSERT_EQ(api.status, 200) << api.body;
  const auto api_status = nlohmann::json::parse(api.body);
  EXPECT_EQ(api_status["enabled"], true);
  EXPECT_GE(api_status["depth"].get<int>(), kPosts);
  EXPECT_FALSE(api_status["exporters"][0]["last_error"].get<std::string>().empty());
  EXPECT_EQ(http_get(daemon.admin_http_port(), "/api/v1/compliance/status", "").status, 401);
  EXPECT_TRUE(receiver.accepted().empty());

  // Recovery: everything arrives, in the outbox's order, and the queue drains.
  failing = false;
  ASSERT_TRUE(poll_until(
      [&] {
        status = ctl_status(daemon);
        return status.value("depth", -1) == 0;
      },
      milliseconds(20000)))
      << status.dump();
  EXPECT_TRUE(status["exporters"][0].value("last_error", "x").empty()) << status.dump();

  std::vector<std::string> posted;  // origin ids in arrival order, first copy of each event
  std::set<std::string> event_ids;
  std::int64_t last_message = 0;
  for (const auto& event : receiver.accepted()) {
    if (!event_ids.insert(event.at("id").get<std::string>()).second) continue;  // a re-send
    if (event.at("kind") != "room.post") continue;
    const std::int64_t message = std::stoll(event.at("message_id").get<std::string>());
    EXPECT_GT(message, last_message) << "out of order: " << event.dump();
    last_message = message;
    posted.push_back(detail(event, "origin_id"));
  }
  EXPECT_EQ(posted, ids);
  EXPECT_EQ(daemon.stop(), 0);
}

}  // namespace
}  // namespace parley::it
