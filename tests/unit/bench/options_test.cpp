#include "bench/options.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace parley::bench {
namespace {

std::variant<Options, OptionsError> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "parley_bench");
  return parse_options(static_cast<int>(args.size()), args.data());
}

TEST(OptionsTest, One2OneWithWindow) {
  const auto parsed =
      parse({"--scenario", "one2one", "--port", "5222", "--clients", "100", "--window", "8",
             "--duration-s", "2.5", "--auth", "plain", "--register", "--threads", "2"});
  const Options& o = std::get<Options>(parsed);
  EXPECT_EQ(o.scenario, Scenario::one2one);
  EXPECT_EQ(o.port, 5222);
  EXPECT_EQ(o.clients, 100u);
  EXPECT_EQ(o.window, 8u);
  EXPECT_FALSE(o.rate);
  EXPECT_EQ(o.duration, std::chrono::milliseconds(2500));
  EXPECT_EQ(o.auth, AuthMechanism::plain);
  EXPECT_TRUE(o.register_accounts);
  EXPECT_EQ(o.threads, 2u);
  EXPECT_EQ(o.first_user, 1u);
}

TEST(OptionsTest, One2OneNeedsExactlyOneOfWindowAndRate) {
  EXPECT_TRUE(std::holds_alternative<OptionsError>(
      parse({"--scenario", "one2one", "--port", "1", "--clients", "4"})));
  EXPECT_TRUE(std::holds_alternative<OptionsError>(parse(
      {"--scenario", "one2one", "--port", "1", "--clients", "4", "--window", "1", "--rate", "5"})));
  const auto rate =
      parse({"--scenario", "one2one", "--port", "1", "--clients", "4", "--rate", "1000.5"});
  EXPECT_DOUBLE_EQ(*std::get<Options>(rate).rate, 1000.5);
}

TEST(OptionsTest, FanoutDefaults) {
  const auto parsed =
      parse({"--scenario", "fanout", "--port", "1", "--domain", "example.org", "--occupants", "50",
             "--posters", "5", "--messages", "10", "--room", "r1"});
  const Options& o = std::get<Options>(parsed);
  EXPECT_EQ(o.clients, 50u);
  EXPECT_EQ(o.muc, "conference.example.org");
  EXPECT_EQ(o.window, 16u);
  EXPECT_TRUE(std::holds_alternative<OptionsError>(
      parse({"--scenario", "fanout", "--port", "1", "--occupants", "2", "--posters", "3"})));
}

TEST(OptionsTest, ErrorsNameTheProblem) {
  const auto unknown = parse({"--frobnicate", "1"});
  EXPECT_NE(std::get<OptionsError>(unknown).message.find("unknown option"), std::string::npos);
  const auto bad = parse({"--port", "http"});
  EXPECT_NE(std::get<OptionsError>(bad).message.find("bad value"), std::string::npos);
  const auto missing = parse({"--scenario", "idle", "--port", "1", "--clients", "3"});
  EXPECT_NE(std::get<OptionsError>(missing).message.find("--server-pid"), std::string::npos);
  EXPECT_EQ(std::get<OptionsError>(parse({"--help"})).message, "help");
  EXPECT_TRUE(std::holds_alternative<OptionsError>(parse({"--scenario", "nope"})));
}

TEST(OptionsTest, ThreadsNeverExceedClients) {
  const auto parsed = parse({"--scenario", "login", "--port", "1", "--clients", "2", "--threads",
                             "8", "--concurrency", "4"});
  EXPECT_EQ(std::get<Options>(parsed).threads, 2u);
  EXPECT_EQ(std::get<Options>(parsed).concurrency, 4u);
}

}  // namespace
}  // namespace parley::bench
