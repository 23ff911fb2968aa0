// NonceManager, AuthThrottle and CredentialCache on their own.
#include <gtest/gtest.h>

#include "adapters/sip/services/auth_throttle.hpp"
#include "adapters/sip/services/credential_cache.hpp"
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

api::DigestCredential credential_of(std::string realm, std::string ha1) {
  api::DigestCredential credential;
  credential.realm = std::move(realm);
  credential.ha1_md5 = std::move(ha1);
  return credential;
}

model::Address bare(std::string_view text) {
  return model::Address::parse(text).value();
}

TEST(CredentialCache, ServesForItsLifetimeFromTheStoreReadNotFromTheLastHit) {
  CredentialCache cache(30s, 10);
  const auto alice = bare("alice@example.com");
  EXPECT_EQ(cache.find(alice, kEpoch), nullptr);
  // Asked at +0, answered at +2 (it waited in the store's queue): good until +30.
  cache.remember(alice, credential_of("example.com", "aa"), kEpoch, kEpoch + 2s);
  const auto* found = cache.find(alice, kEpoch + 29s);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->ha1_md5, "aa");
  EXPECT_EQ(cache.find(alice, kEpoch + 30s), nullptr);
  EXPECT_EQ(cache.find(bare("bob@example.com"), kEpoch + 1s), nullptr);
  cache.forget(alice);
  EXPECT_EQ(cache.find(alice, kEpoch + 1s), nullptr);
  // An answer older than the lifetime is not remembered at all.
  cache.remember(alice, credential_of("example.com", "aa"), kEpoch, kEpoch + 31s);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(CredentialCache, LifetimeZeroRemembersNothing) {
  CredentialCache cache(0s, 10);
  cache.remember(bare("alice@example.com"), credential_of("example.com", "aa"), kEpoch, kEpoch);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find(bare("alice@example.com"), kEpoch), nullptr);
}

TEST(CredentialCache, BoundedExpiredFirstThenOldest) {
  CredentialCache cache(30s, 3);
  cache.remember(bare("a@x"), credential_of("x", "1"), kEpoch, kEpoch);
  cache.remember(bare("b@x"), credential_of("x", "2"), kEpoch + 10s, kEpoch + 10s);
  cache.remember(bare("c@x"), credential_of("x", "3"), kEpoch + 20s, kEpoch + 20s);
  cache.remember(bare("d@x"), credential_of("x", "4"), kEpoch + 25s, kEpoch + 25s);  // evicts a
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.find(bare("a@x"), kEpoch + 25s), nullptr);
  EXPECT_NE(cache.find(bare("b@x"), kEpoch + 25s), nullptr);
  // At +41 b (read at +10) has expired: it goes, c and d stay.
  cache.remember(bare("e@x"), credential_of("x", "5"), kEpoch + 41s, kEpoch + 41s);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.find(bare("b@x"), kEpoch + 41s), nullptr);
  EXPECT_NE(cache.find(bare("c@x"), kEpoch + 41s), nullptr);
  EXPECT_NE(cache.find(bare("e@x"), kEpoch + 41s), nullptr);
}

}  // namespace
}  // namespace parley::sip
