#include "mapping/sip/presence_mapping.hpp"

#include <gtest/gtest.h>

namespace parley::mapping::sip {
namespace {

using model::Presence;
using model::PresenceType;
using model::Show;

const AvailabilityTable& table() {
  return default_availability_table();
}

TEST(AvailabilityTable, DefaultIsValid) {
  auto problems = validate_availability_table(table());
  EXPECT_TRUE(problems.empty()) << problems.front();
}

struct ShowCase {
  Show show;
  int lync;
  std::string rpid;
};

TEST(AvailabilityTable, XmppShowToLyncAndRpid) {
  const ShowCase cases[] = {
      {Show::online, 3500, ""},    {Show::chat, 3500, ""},    {Show::dnd, 9500, "busy"},
      {Show::away, 15500, "away"}, {Show::xa, 15500, "away"},
  };
  for (const auto& c : cases) {
    Presence p;
    p.show = c.show;
    SCOPED_TRACE(std::string(model::show_name(c.show)));
    const AvailabilityRow* row = row_for_presence(table(), p);
    ASSERT_NE(row, nullptr);
    EXPECT_TRUE(row->available);
    EXPECT_EQ(row->lync_availability, c.lync);
    EXPECT_EQ(row->rpid_activity, c.rpid);
    EXPECT_EQ(lync_availability_for(table(), p), c.lync);
  }
}

TEST(AvailabilityTable, UnavailableIsOffline) {
  Presence p;
  p.type = PresenceType::unavailable;
  p.show = Show::dnd;  // ignored when unavailable
  const AvailabilityRow* row = row_for_presence(table(), p);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->name, "offline");
  EXPECT_EQ(lync_availability_for(table(), p), 18500);
}

struct LyncCase {
  int number;
  std::string row;  // "" = none
  bool available;
  Show show;
};

TEST(AvailabilityTable, LyncNumbersAndRangesToRows) {
  const LyncCase cases[] = {
      {0, "", false, Show::online},
      {2999, "", false, Show::online},
      {3000, "available", true, Show::online},
      {3500, "available", true, Show::online},
      {4499, "available", true, Show::online},
      {4500, "idle", true, Show::away},
      {5999, "idle", true, Show::away},
      {6000, "busy", true, Show::dnd},
      {6500, "busy", true, Show::dnd},
      {7500, "busy", true, Show::dnd},
      {9500, "dnd", true, Show::dnd},
      {11999, "dnd", true, Show::dnd},
      {12500, "brb", true, Show::away},
      {15500, "away", true, Show::away},
      {17999, "away", true, Show::away},
      {18000, "offline", false, Show::online},
      {18500, "offline", false, Show::online},
      {2000000000, "offline", false, Show::online},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.number);
    const AvailabilityRow* row = row_for_lync(table(), c.number);
    if (c.row.empty()) {
      EXPECT_EQ(row, nullptr);
      continue;
    }
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->name, c.row);
    Presence p;
    apply_row(*row, p);
    EXPECT_EQ(p.type, c.available ? PresenceType::available : PresenceType::unavailable);
    EXPECT_EQ(p.show, c.show);
  }
}

struct RpidCase {
  bool open;
  std::vector<std::string> activities;
  std::string row;
};

TEST(AvailabilityTable, RpidToRows) {
  const RpidCase cases[] = {
      {true, {}, "available"},
      {true, {"busy"}, "dnd"},
      {true, {"away"}, "away"},
      {true, {"on-the-phone"}, "available"},  // unknown: the plain available row
      {true, {"meal", "away"}, "away"},       // any listed activity may match
      {true, {"busy", "away"}, "dnd"},        // table order decides between matches
      {false, {}, "offline"},
      {false, {"busy"}, "offline"},
  };
  for (const auto& c : cases) {
    const AvailabilityRow* row = row_for_rpid(table(), c.open, c.activities);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->name, c.row);
  }
}

TEST(AvailabilityTable, ValidationFindsEveryProblem) {
  AvailabilityTable t = table();
  t.rows.erase(t.rows.begin() + 8);  // offline
  t.rows[0].lync_availability = 99;  // outside 3000..4499
  t.rows[1].name = "available";      // duplicate
  t.rows[2].rpid_activity = "do not disturb";
  t.rows[6].show = Show::away;  // no row left for xa
  auto problems = validate_availability_table(t);
  auto has = [&](std::string_view needle) {
    for (const auto& p : problems) {
      if (p.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_EQ(problems.size(), 5u);
  EXPECT_TRUE(has("outside its range"));
  EXPECT_TRUE(has("duplicate name"));
  EXPECT_TRUE(has("not an XML name"));
  EXPECT_TRUE(has("show \"xa\""));
  EXPECT_TRUE(has("no unavailable"));
}

TEST(AvailabilityTable, EmptyTableFallsBackToDocumentedNumbers) {
  AvailabilityTable empty;
  Presence p;
  EXPECT_EQ(row_for_presence(empty, p), nullptr);
  EXPECT_EQ(lync_availability_for(empty, p), 3500);
  p.type = PresenceType::unavailable;
  EXPECT_EQ(lync_availability_for(empty, p), 18500);
}

}  // namespace
}  // namespace parley::mapping::sip
