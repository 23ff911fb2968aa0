// The per-source token bucket: burst, refill, independence of sources, bounded table.
#include <gtest/gtest.h>

#include "adapters/sip/rate_limiter.hpp"

namespace parley::sip {
namespace {

using namespace std::chrono_literals;
const auto kA = boost::asio::ip::make_address("192.0.2.1");
const auto kB = boost::asio::ip::make_address("192.0.2.2");

TEST(SourceRateLimiter, BurstThenRefill) {
  SourceRateLimiter limiter(10, 3, 100);
  auto t = SourceRateLimiter::Clock::time_point{} + 1h;
  EXPECT_TRUE(limiter.allow(kA, t));
  EXPECT_TRUE(limiter.allow(kA, t));
  EXPECT_TRUE(limiter.allow(kA, t));
  EXPECT_FALSE(limiter.allow(kA, t));
  EXPECT_TRUE(limiter.allow(kB, t));  // another source is not affected
  EXPECT_FALSE(limiter.allow(kA, t + 50ms));
  EXPECT_TRUE(limiter.allow(kA, t + 100ms));  // 10/s: one token after 100 ms
  EXPECT_FALSE(limiter.allow(kA, t + 100ms));
}

TEST(SourceRateLimiter, ZeroRateIsUnlimited) {
  SourceRateLimiter limiter(0, 1, 1);
  auto t = SourceRateLimiter::Clock::now();
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.allow(kA, t));
  EXPECT_EQ(limiter.tracked(), 0u);
}

TEST(SourceRateLimiter, TableIsBounded) {
  SourceRateLimiter limiter(1, 2, 2);
  auto t = SourceRateLimiter::Clock::time_point{} + 1h;
  EXPECT_TRUE(limiter.allow(kA, t));
  EXPECT_TRUE(limiter.allow(kB, t));
  auto c = boost::asio::ip::make_address("192.0.2.3");
  EXPECT_FALSE(limiter.allow(c, t));  // full, nobody idle
  EXPECT_EQ(limiter.tracked(), 2u);
  EXPECT_TRUE(limiter.allow(c, t + 10s));  // the idle ones are forgotten
  EXPECT_LE(limiter.tracked(), 2u);
}

}  // namespace
}  // namespace parley::sip
