// The "admin" section (config/admin_section.hpp): defaults, every key, and the checks that keep
// the admin API on loopback behind a real token.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/parley_config.hpp"

namespace parley::config {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

model::Expected<ParleyConfig, Problems> parse(const std::string& text) {
  return parse_config(text, "/tmp", CheckOptions{.files = false, .ports = false});
}

TEST(AdminSectionTest, DisabledByDefault) {
  auto c = parse("{}");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->admin.http.enabled);
  EXPECT_EQ(c->admin.http.address, "127.0.0.1");
  EXPECT_EQ(c->admin.http.port, 8091);
  EXPECT_TRUE(c->admin.http.token.empty());
}

TEST(AdminSectionTest, EveryKeyReachesItsField) {
  auto c = parse(R"({"admin": {"http": {"enabled": true, "address": "::1", "port": 0,
                                        "token": "0123456789abcdefXYZ"}}})");
  ASSERT_TRUE(c.ok()) << ::testing::PrintToString(c.error());
  EXPECT_TRUE(c->admin.http.enabled);
  EXPECT_EQ(c->admin.http.address, "::1");
  EXPECT_EQ(c->admin.http.port, 0);
  EXPECT_EQ(c->admin.http.token, "0123456789abcdefXYZ");
}

TEST(AdminSectionTest, RefusesNonLoopbackAddressesShortTokensAndUnknownKeys) {
  auto c = parse(R"({"admin": {"http": {"enabled": true, "address": "0.0.0.0", "port": 70000,
                                        "token": "short", "tokn": 1}}})");
  ASSERT_FALSE(c.ok());
  const auto& problems = c.error();
  EXPECT_THAT(problems, Contains(HasSubstr("admin.http.address: expected a loopback address")));
  EXPECT_THAT(problems, Contains(HasSubstr("admin.http.port")));
  EXPECT_THAT(problems, Contains(HasSubstr("admin.http.token: required")));
  EXPECT_THAT(problems, Contains(HasSubstr("admin.http.tokn")));
  // Enabled without any token is refused too; disabled it does not matter.
  EXPECT_FALSE(parse(R"({"admin": {"http": {"enabled": true}}})").ok());
  EXPECT_TRUE(parse(R"({"admin": {"http": {"enabled": false}}})").ok());
}

TEST(AdminSectionTest, LoopbackLiterals) {
  EXPECT_TRUE(is_loopback_literal("127.0.0.1"));
  EXPECT_TRUE(is_loopback_literal("127.8.9.10"));
  EXPECT_TRUE(is_loopback_literal("::1"));
  EXPECT_FALSE(is_loopback_literal("::"));
  EXPECT_FALSE(is_loopback_literal("10.0.0.1"));
  EXPECT_FALSE(is_loopback_literal("localhost"));
}

}  // namespace
}  // namespace parley::config
