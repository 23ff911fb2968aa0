// The compliance event codec: round trips, the stored form's fields, rejected input; the kind
// names and ids of the contract.
#include "gateway/core/compliance/compliance_json.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "tests/unit/gateway/compliance/compliance_test_util.hpp"

namespace parley::core::compliance {
namespace {

using compliance_testing::addr;
using compliance_testing::make_event;

TEST(ComplianceKinds, NamesRoundTripAndAreUnique) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < api::kComplianceEventKinds; ++i) {
    const auto kind = static_cast<api::ComplianceEventKind>(i);
    const auto name = api::kind_name(kind);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(api::kind_from_name(name), kind);
  }
  EXPECT_EQ(api::kind_name(api::ComplianceEventKind::room_post), "room.post");
  EXPECT_EQ(api::kind_name(api::ComplianceEventKind::topic_change), "room.topic");
  EXPECT_EQ(api::kind_name(api::ComplianceEventKind::message), "im.message");
  EXPECT_FALSE(api::kind_from_name("room.Post").has_value());
  EXPECT_FALSE(api::kind_from_name("").has_value());
}

TEST(ComplianceIds, AreHexAndDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const auto id = api::new_compliance_id();
    ASSERT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_TRUE(ids.insert(id).second);
  }
}

TEST(ComplianceIds, AreDistinctAcrossThreadsAndRefills) {
  // Each thread draws from its own block of random bytes (refilled every 256 ids).
  constexpr int kThreads = 4;
  constexpr int kEach = 1000;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drawn, t] {
      for (int i = 0; i < kEach; ++i) drawn[t].push_back(api::new_compliance_id());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& ids : drawn) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
}

TEST(ComplianceJson, RoundTripsEveryField) {
  for (int n = 0; n < 4; ++n) {
    const auto event = make_event(n);
    const auto decoded = event_from_json(event_to_json(event));
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(*decoded, event);
  }
}

TEST(ComplianceJson, RoundTripsEmptyOptionalsAndHostileText) {
  api::ComplianceEvent event;
  event.id = "x";
  event.kind = api::ComplianceEventKind::room_delete;
  event.actor.account = addr("admin@example.com");
  event.actor.protocol = model::Protocol::sip;
  event.content = "line1\nline2\t\"quoted\" <b>&amp; \xE2\x82\xAC \x01";
  event.details = {{"a", "1"}, {"a", "2"}};  // repeated names keep both, in order
  const auto json = event_to_json(event);
  EXPECT_EQ(json.find('\n'), std::string::npos) << "one line per event";
  const auto decoded = event_from_json(json);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(*decoded, event);
  EXPECT_TRUE(decoded->peer.empty());
}

TEST(ComplianceJson, HasTheDocumentedFields) {
  auto event = make_event(2);
  const auto value = event_to_json_value(event);
  EXPECT_EQ(value.at("v"), 1);
  EXPECT_EQ(value.at("kind"), "room.post");
  EXPECT_EQ(value.at("time"), "2024-05-01T12:00:02.000002Z");
  EXPECT_EQ(value.at("time_us"), 1'714'564'802'000'002LL);
  EXPECT_EQ(value.at("actor").at("account"), "alice@example.com");
  EXPECT_EQ(value.at("actor").at("protocol"), "xmpp");
  EXPECT_EQ(value.at("peer"), "bob@example.com/desk");
  EXPECT_EQ(value.at("details").at(0).at(0), "role");
}

TEST(ComplianceJson, RejectsBadInput) {
  EXPECT_FALSE(event_from_json("{"));
  EXPECT_FALSE(event_from_json("[]"));
  EXPECT_FALSE(event_from_json(R"({"kind":"room.post","time_us":1})"));  // no id
  EXPECT_FALSE(event_from_json(R"({"id":"a","kind":"room.nope","time_us":1})"));
  EXPECT_FALSE(event_from_json(R"({"id":"a","kind":"room.post"})"));  // no time
  EXPECT_FALSE(event_from_json(R"({"id":"a","kind":"room.post","time_us":1,"peer":"@bad@"})"));
  EXPECT_FALSE(event_from_json(
      R"({"id":"a","kind":"room.post","time_us":1,"actor":{"protocol":"carrier-pigeon"}})"));
  EXPECT_FALSE(event_from_json(R"({"id":"a","kind":"room.post","time_us":1,"details":[["x"]]})"));
  EXPECT_TRUE(event_from_json(R"({"id":"a","kind":"room.post","time_us":1})"));
}

TEST(ComplianceJson, FormatsTimes) {
  EXPECT_EQ(rfc3339(from_micros(0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(compact_utc(from_micros(1'714'564'800'000'000)), "20240501T120000Z");
  EXPECT_EQ(to_micros(from_micros(-1)), -1);
  EXPECT_EQ(rfc3339(from_micros(-1)), "1969-12-31T23:59:59.999999Z");
}

}  // namespace
}  // namespace parley::core::compliance
