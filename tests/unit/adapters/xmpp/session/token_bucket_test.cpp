#include "adapters/xmpp/token_bucket.hpp"

#include <gtest/gtest.h>

namespace parley::xmpp {
namespace {

using Clock = TokenBucket::Clock;
using std::chrono::milliseconds;

TEST(TokenBucket, UnlimitedNeverPauses) {
  const auto t0 = Clock::time_point{};
  TokenBucket bucket(0, 100, t0);
  EXPECT_TRUE(bucket.unlimited());
  bucket.consume(1'000'000, t0);
  EXPECT_EQ(bucket.delay(t0), Clock::duration::zero());
  EXPECT_EQ(bucket.available(t0), 100u);
}

TEST(TokenBucket, StartsFullAndEmptiesAfterBurst) {
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  TokenBucket bucket(1000, 500, t0);
  EXPECT_EQ(bucket.available(t0), 500u);
  bucket.consume(500, t0);
  EXPECT_EQ(bucket.available(t0), 0u);
  EXPECT_GT(bucket.delay(t0), Clock::duration::zero());
}

TEST(TokenBucket, RefillsAtTheRateUpToTheBurst) {
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  TokenBucket bucket(1000, 500, t0);
  bucket.consume(500, t0);
  EXPECT_EQ(bucket.available(t0 + milliseconds(100)), 100u);
  EXPECT_EQ(bucket.available(t0 + milliseconds(10'000)), 500u);  // capped by the burst
}

TEST(TokenBucket, DebtLengthensThePause) {
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  TokenBucket bucket(1000, 500, t0);
  bucket.consume(800, t0);  // a read larger than what was available
  const auto pause = bucket.delay(t0);
  EXPECT_GE(pause, milliseconds(300));
  EXPECT_LE(pause, milliseconds(302));
  EXPECT_EQ(bucket.delay(t0 + pause), Clock::duration::zero());
}

TEST(TokenBucket, DebtIsCappedAtOneBurst) {
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  TokenBucket bucket(1000, 500, t0);
  bucket.consume(1'000'000, t0);
  EXPECT_LE(bucket.delay(t0), milliseconds(1002));
}

}  // namespace
}  // namespace parley::xmpp
