// Issue 6, "how it will be checked": several XMPP clients post thousands of room messages (and
// join, and change the topic) while parleyd is killed with SIGKILL at random moments and
// restarted on the same data directory. At the end the outbox drains (parleyctl compliance
// status) and the JSONL trail holds exactly one event per stored message: every acknowledged
// post (the sender saw its echo) has its event, no event exists without its message in the
// room archive, and a repeated export repeats the same event id (docs/compliance.md).
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <random>
#include <set>

#include "tests/integration/compliance/compliance_support.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;
using namespace compliance;
using std::chrono::milliseconds;

constexpr int kClients = 3;
constexpr int kKills = 6;
constexpr std::size_t kWindow = 16;  // posts in flight per client

nlohmann::json daemon_config() {
  return {
      {"log", {{"level", "info"}}},
      {"compliance",
       {{"enabled", true},
        {"events", {"*"}},
        {"poll_interval_ms", 50},
        {"retry_min_ms", 50},
        {"exporters", {{{"name", "trail"}, {"type", "jsonl"}, {"directory", "trail"}}}}}},
      {"admin",
       {{"http",
         {{"enabled", true}, {"address", "127.0.0.1"}, {"port", 0}, {"token", kAdminToken}}}}},
  };
}

// What the clients saw acknowledged, shared with the thread that decides when to kill.
struct Ledger {
  std::mutex mutex;
  std::condition_variable changed;
  std::set<std::string> posts;       // origin ids whose echo came back
  std::map<std::string, int> joins;  // account -> joins that completed
  std::vector<std::string> topics;   // topics whose change was announced
  std::size_t posts_this_round = 0;

  void ack_post(const std::string& id) {
    {
      std::lock_guard lock(mutex);
      posts.insert(id);
      ++posts_this_round;
    }
    changed.notify_all();
  }
};

Match any_groupchat_or_error(const std::string& room) {
  return [room](const XmlNode& n) {
    return n.name() == "message" && bare_of(n.attr_or("from")) == room &&
           (n.attr_or("type") == "groupchat" || n.attr_or("type") == "error");
  };
}

// Posts with a window of kWindow messages in flight until the connection drops; an echo from
// our own nickname with our id acknowledges a post (XEP-0045 §7.4: the echo keeps the id).
void post_until_disconnected(StropheClient& client, const std::string& room,
                             const std::string& nick, const std::string& prefix, Ledger& ledger) {
  std::deque<std::string> in_flight;
  for (int next = 0;;) {
    while (in_flight.size() < kWindow) {
      const std::string id = prefix + "-" + std::to_string(next++);
      client.send(groupchat(room, "body of " + id, id));
      in_flight.push_back(id);
    }
    auto got = client.wait_for(any_groupchat_or_error(room), std::chrono::seconds(5));
    if (!got) return;  // killed (disconnected) or stalled
    const std::string id = got->attr_or("id");
    const auto it = std::find(in_flight.begin(), in_flight.end(), id);
    if (it == in_flight.end()) continue;  // someone else's message
    if (got->attr_or("type") == "groupchat" && got->attr_or("from") == room + "/" + nick) {
      ledger.ack_post(id);
    }
    in_flight.erase(it);  // acknowledged, or refused (type error): not acknowledged
  }
}

TEST(ComplianceDurabilityTest, EveryAcknowledgedPostHasExactlyItsEventAcrossKills) {
  std::random_device device;
  const unsigned seed =
      std::getenv("PARLEY_IT_SEED") ? std::stoul(std::getenv("PARLEY_IT_SEED")) : device();
  std::mt19937 random(seed);
  SCOPED_TRACE("PARLEY_IT_SEED=" + std::to_string(seed));

  ParleydProcess daemon(daemon_config());
  daemon.start();
  const std::string room = room_jid(daemon, "durable");
  std::vector<Account> accounts;
  for (int i = 0; i < kClients; ++i) accounts.push_back(daemon.new_account("poster"));

  Ledger ledger;
  for (int round = 0; round < kKills; ++round) {
    if (round > 0) daemon.restart();
    std::vector<std::unique_ptr<StropheClient>> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(online(daemon, accounts[i]));
      enter(*clients.back(), room, "p" + std::to_string(i), /*maxstanzas=*/0);
      std::lock_guard lock(ledger.mutex);
      ++ledger.joins[accounts[i].jid];
    }
    // The creator (owner since round 0) changes the topic; the announcement acknowledges it.
    const std::string topic = "topic of round " + std::to_string(round);
    XmlNode subject("message");
    subject.set("to", room).set("type", "groupchat").append(XmlNode("subject").set_text(topic));
    clients[0]->send(subject);
    auto announced = clients[0]->wait_for([&](const XmlNode& n) {
      return n.name() == "message" && n.child_text("subject") == topic;
    });
    ASSERT_TRUE(announced) << "topic change not announced in round " << round;
    ledger.topics.push_back(topic);

    {
      std::lock_guard lock(ledger.mutex);
      ledger.posts_this_round = 0;
    }
    std::vector<std::thread> posters;
    for (int i = 0; i < kClients; ++i) {
      posters.emplace_back([&, i] {
        post_until_disconnected(*clients[i], room, "p" + std::to_string(i),
                                "r" + std::to_string(round) + "c" + std::to_string(i), ledger);
      });
    }
    // A random moment: after a random number of acknowledged posts (a condition, bounded).
    const std::size_t target = std::uniform_int_distribution<std::size_t>(150, 700)(random);
    {
      std::unique_lock lock(ledger.mutex);
      ledger.changed.wait_for(lock, std::chrono::seconds(8),
                              [&] { return ledger.posts_this_round >= target; });
    }
    daemon.kill9();
    for (auto& t : posters) t.join();
    clients.clear();
  }

  // Recovery: the last restart exports what the kills left in the outbox.
  daemon.restart();
  nlohmann::json status;
  ASSERT_TRUE(poll_until(
      [&] {
        status = ctl_status(daemon);
        return status.value("depth", -1) == 0;
      },
      milliseconds(30000)))
      << "the outbox did not drain: " << status.dump();
  // The admin API shows the same (enabled, empty queue).
  const auto api = http_get(daemon.admin_http_port(), "/api/v1/compliance/status", kAdminToken);
  ASSERT_EQ(api.status, 200) << api.body;
  const auto api_status = nlohmann::json::parse(api.body);
  EXPECT_EQ(api_status["enabled"], true);
  EXPECT_EQ(api_status["depth"], 0);
  EXPECT_EQ(daemon.stop(), 0);

  // ---- the trail against the acknowledgements and the archive ----
  const auto data_dir = std::filesystem::path(daemon.config().at("data_dir").get<std::string>());
  const auto trail = read_trail(data_dir / "trail");
  std::map<std::string, std::set<std::string>> post_event_ids;  // origin id -> event ids
  std::map<std::string, std::string> message_of;                // origin id -> message id
  std::set<std::string> event_messages;                         // message ids with an event
  std::map<std::string, std::string> seen;                      // event id -> its JSON
  std::map<std::string, std::set<std::string>> join_ids;        // account -> join event ids
  std::set<std::string> topics;
  for (const auto& event : trail) {
    const std::string id = event.at("id");
    const auto [it, fresh] = seen.emplace(id, event.dump());
    EXPECT_TRUE(fresh || it->second == event.dump()) << "event id reused: " << id;  // duplicates
    if (event.value("room", "") != "durable") continue;
    const std::string kind = event.at("kind");
    if (kind == "room.post") {
      const std::string origin = detail(event, "origin_id");
      post_event_ids[origin].insert(id);
      const std::string message = event.at("message_id");
      const auto [m, first] = message_of.emplace(origin, message);
      EXPECT_TRUE(first || m->second == message) << origin << " recorded for two messages";
      event_messages.insert(message);
      EXPECT_EQ(event.value("content", ""), "body of " + origin);
    } else if (kind == "room.join") {
      join_ids[event.at("actor").at("account")].insert(id);
    } else if (kind == "room.topic") {
      topics.insert(event.value("content", ""));
    }
  }
  std::size_t missing = 0;
  for (const auto& origin : ledger.posts) missing += post_event_ids.count(origin) == 0 ? 1 : 0;
  EXPECT_EQ(missing, 0u) << "acknowledged posts without an event, of " << ledger.posts.size();
  for (const auto& [origin, ids] : post_event_ids) {
    EXPECT_EQ(ids.size(), 1u) << origin << ": one action, one event id";
  }
  // The outbox and the archive commit together: the same set of messages on both sides.
  const auto stored = stored_message_ids(daemon, "durable");
  const std::set<std::string> stored_set(stored.begin(), stored.end());
  EXPECT_EQ(event_messages, stored_set)
      << "events " << event_messages.size() << ", messages " << stored_set.size();
  for (const auto& [account, joins] : ledger.joins) {
    EXPECT_GE(join_ids[account].size(), static_cast<std::size_t>(joins)) << account;
  }
  for (const auto& topic : ledger.topics) EXPECT_TRUE(topics.count(topic)) << topic;
  EXPECT_GE(ledger.posts.size(), 1000u) << "too few posts to mean anything";
  std::cout << "posts acknowledged: " << ledger.posts.size() << ", stored: " << stored.size()
            << ", trail events: " << trail.size() << ", distinct: " << seen.size() << std::endl;
}

}  // namespace
}  // namespace parley::it
