#include "adapters/xmpp/auth_throttle.hpp"

#include <gtest/gtest.h>

#include <string>

namespace parley::xmpp {
namespace {

using Clock = AuthThrottle::Clock;
using std::chrono::seconds;

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1);

AuthThrottle make(std::size_t per_ip, std::size_t per_account, std::size_t max_keys = 1000) {
  return AuthThrottle(AuthThrottle::Limits{per_ip, per_account, seconds(60), max_keys});
}

TEST(AuthThrottle, AllowsUntilTheAccountLimit) {
  auto throttle = make(100, 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(throttle.allowed("10.0.0.1", "alice@x", t0));
    throttle.record_failure("10.0.0.1", "alice@x", t0);
  }
  EXPECT_FALSE(throttle.allowed("10.0.0.1", "alice@x", t0));
  // Another IP is refused too: the account is what is being guessed.
  EXPECT_FALSE(throttle.allowed("10.0.0.2", "alice@x", t0));
  EXPECT_TRUE(throttle.allowed("10.0.0.2", "bob@x", t0));
}

TEST(AuthThrottle, IpLimitCoversSprayingOverAccounts) {
  auto throttle = make(3, 100);
  for (int i = 0; i < 3; ++i) throttle.record_failure("10.0.0.1", "u" + std::to_string(i), t0);
  EXPECT_FALSE(throttle.allowed("10.0.0.1", "fresh@x", t0));
  EXPECT_FALSE(throttle.allowed("10.0.0.1", "", t0));
  EXPECT_TRUE(throttle.allowed("10.0.0.9", "fresh@x", t0));
}

TEST(AuthThrottle, WindowSlides) {
  auto throttle = make(100, 2);
  throttle.record_failure("ip", "a", t0);
  throttle.record_failure("ip", "a", t0 + seconds(30));
  EXPECT_FALSE(throttle.allowed("ip", "a", t0 + seconds(59)));
  // The first failure leaves the window: one left, under the limit of two.
  EXPECT_TRUE(throttle.allowed("ip", "a", t0 + seconds(60)));
  throttle.record_failure("ip", "a", t0 + seconds(61));
  EXPECT_FALSE(throttle.allowed("ip", "a", t0 + seconds(61)));
  EXPECT_TRUE(throttle.allowed("ip", "a", t0 + seconds(200)));
}

TEST(AuthThrottle, SuccessClearsTheAccountButNotTheIp) {
  auto throttle = make(2, 2);
  throttle.record_failure("ip", "a", t0);
  throttle.record_failure("ip", "a", t0);
  throttle.record_success("a");
  EXPECT_TRUE(throttle.allowed("other-ip", "a", t0));
  EXPECT_FALSE(throttle.allowed("ip", "a", t0));
}

TEST(AuthThrottle, MemoryIsBounded) {
  auto throttle = make(5, 5, 10);
  for (int i = 0; i < 1000; ++i) {
    throttle.record_failure("ip" + std::to_string(i), "acct" + std::to_string(i), t0 + seconds(i));
  }
  EXPECT_LE(throttle.tracked_keys(), 20u);
  // The newest entries survive eviction.
  throttle.record_failure("ip999", "acct999", t0 + seconds(999));
  EXPECT_EQ(throttle.tracked_keys() <= 20u, true);
}

TEST(AuthThrottle, ExpiredEntriesArePurgedWhenFull) {
  auto throttle = make(1, 1, 2);
  throttle.record_failure("a", "x", t0);
  throttle.record_failure("b", "y", t0);
  // Both expired: a new key fits without evicting anything live.
  throttle.record_failure("c", "z", t0 + seconds(120));
  EXPECT_FALSE(throttle.allowed("c", "", t0 + seconds(120)));
  EXPECT_TRUE(throttle.allowed("a", "x", t0 + seconds(120)));
}

}  // namespace
}  // namespace parley::xmpp
