#include "mapping/xmpp/datetime.hpp"

#include <gtest/gtest.h>

namespace parley::mapping::xmpp {
namespace {

using namespace std::chrono;

model::Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

TEST(DatetimeTest, ParsesXep0082Forms) {
  struct Case {
    const char* text;
    model::Timestamp expected;
  };
  const Case cases[] = {
      {"2002-09-10T23:08:25Z", utc(2002, 9, 10, 23, 8, 25)},
      {"2002-09-10T23:08:25.123Z", utc(2002, 9, 10, 23, 8, 25) + milliseconds{123}},
      {"2002-09-10T23:08:25.5Z", utc(2002, 9, 10, 23, 8, 25) + milliseconds{500}},
      {"2002-09-10T23:08:25.123456Z", utc(2002, 9, 10, 23, 8, 25) + microseconds{123456}},
      {"2002-09-10T23:08:25.1234567891234Z", utc(2002, 9, 10, 23, 8, 25) + nanoseconds{123456789}},
      {"2002-09-10T23:08:25-07:00", utc(2002, 9, 11, 6, 8, 25)},
      {"2002-09-10T23:08:25+05:30", utc(2002, 9, 10, 17, 38, 25)},
      {"2024-02-29T00:00:00Z", utc(2024, 2, 29, 0, 0, 0)},
      {"1969-12-31T23:59:59Z", utc(1969, 12, 31, 23, 59, 59)},
  };
  for (const auto& c : cases) {
    auto parsed = parse_datetime(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_EQ(*parsed, c.expected) << c.text;
  }
}

TEST(DatetimeTest, RejectsMalformedStamps) {
  for (const char* text :
       {"", "2002-09-10", "2002-09-10T23:08:25", "2002-09-10 23:08:25Z", "2002-9-10T23:08:25Z",
        "2002-13-10T23:08:25Z", "2023-02-29T00:00:00Z", "2002-09-10T24:00:00Z",
        "2002-09-10T23:60:00Z", "2002-09-10T23:08:25.Z", "2002-09-10T23:08:25+0700",
        "2002-09-10T23:08:25Zjunk", "20020910T230825Z", "2002-09-10T23:08:25z"}) {
    EXPECT_FALSE(parse_datetime(text).has_value()) << text;
  }
}

TEST(DatetimeTest, FormatsUtcWithShortestExactFraction) {
  EXPECT_EQ(format_datetime(utc(2002, 9, 10, 23, 8, 25)), "2002-09-10T23:08:25Z");
  EXPECT_EQ(format_datetime(utc(2002, 9, 10, 23, 8, 25) + milliseconds{50}),
            "2002-09-10T23:08:25.050Z");
  EXPECT_EQ(format_datetime(utc(2002, 9, 10, 23, 8, 25) + microseconds{7}),
            "2002-09-10T23:08:25.000007Z");
  EXPECT_EQ(format_datetime(utc(1999, 1, 2, 3, 4, 5) + nanoseconds{1}),
            "1999-01-02T03:04:05.000000001Z");
}

TEST(DatetimeTest, FormatThenParseIsIdentity) {
  const model::Timestamp now = system_clock::now();
  auto parsed = parse_datetime(format_datetime(now));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, now);
}

}  // namespace
}  // namespace parley::mapping::xmpp
