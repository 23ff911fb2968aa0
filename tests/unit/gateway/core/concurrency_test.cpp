// The router under load: several threads send while others bind and unbind; with the
// threaded store executor (group commit, continuations on the store thread) every message is
// delivered exactly once -- live, or stored and delivered at the next initial presence.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "gateway/core/core_service.hpp"
#include "tests/fakes/memory_stores.hpp"
#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

constexpr int kUsers = 16;
constexpr int kSenders = 4;
constexpr int kMessagesPerSender = 3000;

std::string user(int i) {
  return "u" + std::to_string(i) + "@localhost";
}

TEST(ConcurrencyTest, EveryMessageDeliveredExactlyOnce) {
  fakes::MemoryStores stores;
  fakes::ThreadedStoreExecutor executor(stores);
  CoreConfig config;
  config.shards = 8;
  config.max_offline_messages_per_account = 1'000'000;
  CoreService core(config, executor);
  for (int i = 0; i < kUsers; ++i) stores.accounts.create(addr(user(i)), {});
  core.start();
  ASSERT_TRUE(executor.drain());

  // Stable receivers: one endpoint per user that stays for the whole test.
  std::vector<std::shared_ptr<fakes::RecordingEndpoint>> stable;
  for (int i = 0; i < kUsers; ++i) {
    auto endpoint = std::make_shared<fakes::RecordingEndpoint>();
    ASSERT_FALSE(core.bind({addr(user(i) + "/stable"), model::Protocol::xmpp, "s"}, endpoint));
    model::Presence presence;
    presence.from = addr(user(i) + "/stable");
    presence.priority = 1;
    core.send_presence(presence);
    stable.push_back(endpoint);
  }
  ASSERT_TRUE(executor.drain());

  std::atomic<bool> churn_done{false};
  // Churn: bind/unbind lower-priority resources (they never get bare messages) and a
  // higher-priority one whose messages are counted too.
  std::vector<std::shared_ptr<fakes::RecordingEndpoint>> churned;
  std::mutex churned_mutex;
  std::thread churn([&] {
    for (int round = 0; round < 300; ++round) {
      const int u = round % kUsers;
      const std::string full = user(u) + "/churn";
      auto endpoint = std::make_shared<fakes::RecordingEndpoint>();
      if (core.bind({addr(full), model::Protocol::xmpp, "c"}, endpoint)) continue;
      {
        std::lock_guard lock(churned_mutex);
        churned.push_back(endpoint);
      }
      model::Presence presence;
      presence.from = addr(full);
      presence.priority = static_cast<std::int8_t>(round % 2 == 0 ? 5 : 0);
      core.send_presence(presence);
      core.unbind(addr(full), endpoint.get());
    }
    churn_done = true;
  });

  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      for (int n = 0; n < kMessagesPerSender; ++n) {
        model::Message message;
        message.from = addr(user(s) + "/stable");
        message.to = addr(user((s + 1 + n) % kUsers));
        message.type = model::MessageType::chat;
        message.body = std::to_string(s) + ":" + std::to_string(n);
        core.send_message(std::move(message));
      }
    });
  }
  for (auto& t : senders) t.join();
  churn.join();
  ASSERT_TRUE(churn_done);
  ASSERT_TRUE(executor.drain());

  // Anything stored offline (all endpoints of the chosen priority just left) is still there.
  std::multiset<std::string> received;
  auto collect = [&](const fakes::RecordingEndpoint& e) {
    for (const auto& m : e.messages())
      if (m.type == model::MessageType::chat) received.insert(m.body);
  };
  for (const auto& e : stable) collect(*e);
  for (const auto& e : churned) collect(*e);
  for (int i = 0; i < kUsers; ++i)
    for (const auto& m : stores.offline.take(addr(user(i)), 1'000'000)) received.insert(m.body);

  ASSERT_EQ(received.size(), static_cast<std::size_t>(kSenders * kMessagesPerSender));
  for (int s = 0; s < kSenders; ++s)
    for (int n = 0; n < kMessagesPerSender; ++n)
      ASSERT_EQ(received.count(std::to_string(s) + ":" + std::to_string(n)), 1u) << s << ":" << n;
}

TEST(ConcurrencyTest, ParallelBindUnbindLeavesAnEmptyTable) {
  fakes::MemoryStores stores;
  fakes::ThreadedStoreExecutor executor(stores);
  CoreService core(CoreConfig{}, executor);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 2000; ++n) {
        const auto full = addr(user(n % 8) + "/r" + std::to_string(t));
        auto endpoint = std::make_shared<fakes::RecordingEndpoint>();
        if (core.bind({full, model::Protocol::xmpp, "s"}, endpoint)) continue;
        model::Presence presence;
        presence.from = full;
        core.send_presence(presence);
        core.unbind(full, endpoint.get());
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(executor.drain());
  EXPECT_EQ(core.endpoint_count(), 0u);
}

}  // namespace
}  // namespace parley::core::testing
