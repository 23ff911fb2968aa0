#include "mapping/sip/availability_config.hpp"

#include <gtest/gtest.h>

namespace parley::mapping::sip {
namespace {

using nlohmann::json;

TEST(AvailabilityConfig, DefaultRoundTrips) {
  json j = availability_table_to_json(default_availability_table());
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j.size(), default_availability_table().rows.size());
  EXPECT_EQ(j[3]["name"], "busy");
  EXPECT_EQ(j[3]["show"], "dnd");
  EXPECT_EQ(j[3]["lync"], 6500);
  EXPECT_EQ(j[3]["lync_range"], json::array({6000, 8999}));
  EXPECT_EQ(j[0]["show"], "online");
  auto back = availability_table_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back.value(), default_availability_table());
}

TEST(AvailabilityConfig, MinimalRowsGetDefaults) {
  json j = json::parse(R"([
    {"name": "on", "lync": 3500, "lync_range": [0, 17999]},
    {"name": "chatty", "show": "chat", "lync": 3500},
    {"name": "gone", "show": "away", "rpid": "away", "lync": 15500},
    {"name": "long", "show": "xa", "lync": 15500},
    {"name": "dnd", "show": "dnd", "rpid": "busy", "lync": 9500},
    {"name": "off", "available": false, "lync": 18500, "lync_range": [18000, 99999]}
  ])");
  auto t = availability_table_from_json(j);
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->rows.size(), 6u);
  EXPECT_EQ(t->rows[0].show, model::Show::online);
  EXPECT_TRUE(t->rows[0].available);
  EXPECT_EQ(t->rows[0].rpid_activity, "");
  EXPECT_EQ(t->rows[1].lync_min, 3500);
  EXPECT_EQ(t->rows[1].lync_max, 3500);
  EXPECT_FALSE(t->rows[5].available);
  // The first row's wide range wins over later rows.
  EXPECT_EQ(row_for_lync(*t, 9500)->name, "on");
}

struct BadCase {
  const char* json_text;
  const char* expected_fragment;
};

TEST(AvailabilityConfig, ErrorsNameTheRowAndKey) {
  const BadCase cases[] = {
      {R"({"name": "x"})", "expected an array"},
      {R"([42])", "availability[0]: expected an object"},
      {R"([{"show": "online", "lync": 3500}])", "availability[0].name"},
      {R"([{"name": "a", "show": "busy", "lync": 3500}])", "availability[0].show: unknown show"},
      {R"([{"name": "a", "lync": -1}])", "availability[0].lync"},
      {R"([{"name": "a", "lync": 3500, "lync_range": [1]}])", "availability[0].lync_range"},
      {R"([{"name": "a", "lync": 3500, "colour": "red"}])", "availability[0].colour: unknown"},
      {R"([{"name": "a", "lync": 3500, "available": "yes"}])", "availability[0].available"},
      {R"([{"name": "a", "lync": 3500}])", "no unavailable"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json_text);
    auto t = availability_table_from_json(json::parse(c.json_text));
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.error().find(c.expected_fragment), std::string::npos) << t.error();
  }
}

}  // namespace
}  // namespace parley::mapping::sip
