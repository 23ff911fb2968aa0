// XEP-0359 stanza ids and the endpoint table's bookkeeping.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "gateway/core/endpoint_table.hpp"
#include "gateway/core/stanza_id.hpp"
#include "tests/fakes/memory_stores.hpp"
#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

TEST(StanzaIdTest, UniqueAcrossThreads) {
  StanzaIdGenerator generator;
  std::vector<std::vector<std::string>> ids(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int n = 0; n < 5000; ++n) ids[t].push_back(generator.next());
    });
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& list : ids) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), 20000u);
}

TEST(StanzaIdTest, DifferentGeneratorsDiffer) {
  StanzaIdGenerator a(1), b(2);
  EXPECT_NE(a.next(), b.next());
  EXPECT_EQ(StanzaIdGenerator(7).next(), StanzaIdGenerator(7).next());
}

TEST(EndpointTableTest, TracksAvailabilityAndOfflineFlushOnce) {
  EndpointTable table(4);
  auto endpoint = std::make_shared<fakes::RecordingEndpoint>();
  const auto full = addr("a@localhost/r");
  ASSERT_FALSE(table.bind({full, model::Protocol::xmpp, "s"}, endpoint, 10).error);
  EXPECT_TRUE(table.available_of(full.bare()).empty());
  auto presence = std::make_shared<model::Presence>();
  presence->priority = -1;
  auto update = table.set_available(full, presence);
  EXPECT_TRUE(update.found);
  EXPECT_FALSE(update.was_available);
  EXPECT_FALSE(update.flush_offline);
  auto raised = std::make_shared<model::Presence>();
  raised->priority = 1;
  update = table.set_available(full, raised);
  EXPECT_TRUE(update.was_available);
  EXPECT_TRUE(update.flush_offline);
  EXPECT_FALSE(table.set_available(full, raised).flush_offline);
  ASSERT_EQ(table.available_of(full.bare()).size(), 1u);
  EXPECT_EQ(table.available_of(full.bare())[0].priority, 1);
  table.add_directed(full, addr("b@localhost"));
  auto down = table.set_unavailable(full, raised);
  EXPECT_EQ(down.directed, std::vector<model::Address>{addr("b@localhost")});
  EXPECT_TRUE(table.set_unavailable(full, raised).directed.empty());
  EXPECT_FALSE(table.unbind(full, reinterpret_cast<const api::Endpoint*>(&table))
                   .has_value());  // not the bound endpoint
  EXPECT_TRUE(table.unbind(full, endpoint.get()).has_value());
  EXPECT_FALSE(table.is_bound(full));
}

TEST(EndpointTableTest, CarbonReceiversAreTheAvailableResourcesWithCarbons) {
  EndpointTable table(4);
  const auto desk = addr("a@localhost/desk");
  const auto phone = addr("a@localhost/phone");
  const auto away = addr("a@localhost/away");
  for (const auto& full : {desk, phone, away}) {
    ASSERT_FALSE(table
                     .bind({full, model::Protocol::xmpp, "s"},
                           std::make_shared<fakes::RecordingEndpoint>(), 10)
                     .error);
  }
  auto presence = std::make_shared<model::Presence>();
  table.set_available(desk, presence);
  table.set_available(phone, presence);
  EXPECT_TRUE(table.carbon_receivers_of(desk.bare()).empty());  // nobody enabled carbons
  api::EndpointFlags carbons;
  carbons.carbons = true;
  ASSERT_TRUE(table.set_flags(phone, carbons));
  ASSERT_TRUE(table.set_flags(away, carbons));  // enabled, but not available
  const auto receivers = table.carbon_receivers_of(desk.bare());
  ASSERT_EQ(receivers.size(), 1u);
  EXPECT_EQ(receivers[0].full, phone);
  EXPECT_EQ(table.available_of(desk.bare()).size(), 2u);
}

}  // namespace
}  // namespace parley::core::testing
