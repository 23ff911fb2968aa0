// NonceManager and AuthThrottle on their own.
#include <gtest/gtest.h>

#include "adapters/sip/services/auth_throttle.hpp"
#include "adapters/sip/services/nonce_manager.hpp"

namespace parley::sip {
namespace {

using namespace std::chrono_literals;
const auto kEpoch = std::chrono::steady_clock::time_point{} + 100h;

TEST(NonceManager, IssuedNoncesCheckAndAge) {
  NonceManager nonces("secret", 300s, 100, kEpoch);
  const auto now = kEpoch + 10s;
  const auto nonce = nonces.issue("example.com", now);
  EXPECT_EQ(nonces.check(nonce, "example.com", now), NonceManager::Check::valid);
  EXPECT_EQ(nonces.check(nonce, "example.com", now + 299s), NonceManager::Check::valid);
  EXPECT_EQ(nonces.check(nonce, "example.com", now + 300s), NonceManager::Check::stale);
  EXPECT_EQ(nonces.check(nonce, "other.org", now), NonceManager::Check::invalid);
  EXPECT_EQ(nonces.check("made.up.nonce", "example.com", now), NonceManager::Check::invalid);
  NonceManager other("another secret", 300s, 100, kEpoch);
  EXPECT_EQ(other.check(nonce, "example.com", now), NonceManager::Check::invalid);
  EXPECT_NE(nonces.issue("example.com", now), nonce);  // random part
}

TEST(NonceManager, NonceCountMustGrowAndNoQopIsSingleUse) {
  NonceManager nonces("secret", 300s, 100, kEpoch);
  const auto now = kEpoch + 10s;
  const auto nonce = nonces.issue("example.com", now);
  EXPECT_TRUE(nonces.use(nonce, "00000001", now));
  EXPECT_FALSE(nonces.use(nonce, "00000001", now));
  EXPECT_TRUE(nonces.use(nonce, "00000003", now));
  EXPECT_FALSE(nonces.use(nonce, "00000002", now));
  EXPECT_FALSE(nonces.use(nonce, "zz", now));
  const auto plain = nonces.issue("example.com", now);
  EXPECT_TRUE(nonces.use(plain, "", now));
  EXPECT_FALSE(nonces.use(plain, "", now));
}

TEST(NonceManager, TheTableIsBoundedWithoutAllowingReplays) {
  NonceManager nonces("secret", 300s, 2, kEpoch);
  const auto a = nonces.issue("r", kEpoch + 1s);
  const auto b = nonces.issue("r", kEpoch + 2s);
  const auto c = nonces.issue("r", kEpoch + 3s);
  EXPECT_TRUE(nonces.use(a, "00000001", kEpoch + 3s));
  EXPECT_TRUE(nonces.use(b, "00000001", kEpoch + 3s));
  EXPECT_TRUE(nonces.use(c, "00000001", kEpoch + 3s));  // evicts a
  EXPECT_LE(nonces.tracked(), 2u);
  EXPECT_FALSE(nonces.use(a, "00000001", kEpoch + 3s));  // no replay of the forgotten nonce
}

TEST(AuthThrottle, PerIpAndPerAccountWindows) {
  AuthThrottle throttle({.per_ip = 3, .per_account = 2, .window = 60s, .max_keys = 10});
  const auto now = kEpoch;
  EXPECT_TRUE(throttle.allowed("1.2.3.4", "alice@x", now));
  throttle.record_failure("1.2.3.4", "alice@x", now);
  throttle.record_failure("1.2.3.4", "alice@x", now);
  EXPECT_FALSE(throttle.allowed("5.6.7.8", "alice@x", now));  // the account is over
  EXPECT_TRUE(throttle.allowed("1.2.3.4", "bob@x", now));
  throttle.record_failure("1.2.3.4", "bob@x", now);
  EXPECT_FALSE(throttle.allowed("1.2.3.4", "carol@x", now));  // the IP is over
  EXPECT_TRUE(throttle.allowed("1.2.3.4", "carol@x", now + 60s));
  throttle.record_success("alice@x");
  EXPECT_TRUE(throttle.allowed("9.9.9.9", "alice@x", now));
}

TEST(AuthThrottle, Bounded) {
  AuthThrottle throttle({.per_ip = 3, .per_account = 2, .window = 60s, .max_keys = 4});
  for (int i = 0; i < 50; ++i)
    throttle.record_failure("10.0.0." + std::to_string(i), "u" + std::to_string(i), kEpoch);
  EXPECT_LE(throttle.tracked(), 8u);
}

}  // namespace
}  // namespace parley::sip
