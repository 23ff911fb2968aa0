#include "gateway/app/daemon_args.hpp"

#include <gtest/gtest.h>

namespace parley::app {
namespace {

TEST(DaemonArgs, DefaultsToRunWithoutConfig) {
  auto r = parse_daemon_args({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->mode, DaemonMode::run);
  EXPECT_FALSE(r->config.has_value());
}

TEST(DaemonArgs, ConfigAndCheck) {
  auto r = parse_daemon_args({"--config", "x.jsonc", "--check-config"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->mode, DaemonMode::check_config);
  EXPECT_EQ(r->config, std::filesystem::path("x.jsonc"));
  r = parse_daemon_args({"--config=y.jsonc"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->config, std::filesystem::path("y.jsonc"));
}

TEST(DaemonArgs, VersionAndHelp) {
  EXPECT_EQ(parse_daemon_args({"--version"})->mode, DaemonMode::version);
  EXPECT_EQ(parse_daemon_args({"--check-config", "--help"})->mode, DaemonMode::help);
}

TEST(DaemonArgs, Errors) {
  EXPECT_EQ(parse_daemon_args({"--config"}).error(), "option --config needs a file name");
  EXPECT_EQ(parse_daemon_args({"--verbose"}).error(), "unknown option --verbose");
  EXPECT_EQ(parse_daemon_args({"extra"}).error(), "unexpected argument 'extra'");
  EXPECT_NE(daemon_usage().find("--check-config"), std::string::npos);
}

}  // namespace
}  // namespace parley::app
