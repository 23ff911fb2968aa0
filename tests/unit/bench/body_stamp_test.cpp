#include "bench/body_stamp.hpp"

#include <gtest/gtest.h>

#include <string>

namespace parley::bench {
namespace {

std::string encode(const BodyStamp& stamp) {
  std::string out(kBodySize, '?');
  encode_body(stamp, out.data());
  return out;
}

TEST(BodyStampTest, EncodesFixedWidthDigits) {
  EXPECT_EQ(encode({.sender = 7, .seq = 42, .sent_ns = 1234567890}),
            "pb 00000007 000000000042 00000000001234567890");
  EXPECT_EQ(encode({}).size(), kBodySize);
}

TEST(BodyStampTest, RoundTripsExtremes) {
  for (const BodyStamp stamp :
       {BodyStamp{}, BodyStamp{.sender = 99999999, .seq = 999999999999, .sent_ns = INT64_MAX},
        BodyStamp{.sender = 1, .seq = 1, .sent_ns = 1}}) {
    const auto decoded = decode_body(encode(stamp));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, stamp);
  }
}

TEST(BodyStampTest, NegativeTimeIsClampedToZero) {
  EXPECT_EQ(decode_body(encode({.sender = 1, .seq = 2, .sent_ns = -5}))->sent_ns, 0);
}

TEST(BodyStampTest, RejectsAnythingElse) {
  const std::string good = encode({.sender = 3, .seq = 4, .sent_ns = 5});
  EXPECT_FALSE(decode_body(""));
  EXPECT_FALSE(decode_body("hello"));
  EXPECT_FALSE(decode_body(good.substr(1)));
  EXPECT_FALSE(decode_body(good + "0"));
  std::string bad = good;
  bad[0] = 'x';  // prefix
  EXPECT_FALSE(decode_body(bad));
  bad = good;
  bad[5] = 'a';  // a non-digit in the sender
  EXPECT_FALSE(decode_body(bad));
  bad = good;
  bad[kBodyPrefix.size() + kSenderDigits] = '0';  // separator
  EXPECT_FALSE(decode_body(bad));
  // 20 digits above INT64_MAX were not written by encode_body.
  EXPECT_FALSE(decode_body("pb 00000001 000000000001 99999999999999999999"));
}

}  // namespace
}  // namespace parley::bench
