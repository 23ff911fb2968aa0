// `parleyd --check-config` validates a configuration without starting: exit 0 when it is
// sound, exit 1 with every problem on stderr, each naming its key (STYLE.md error policy:
// bad config -> print every problem, exit non-zero). Started with a broken config, parleyd
// refuses to run.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/support/parleyd_process.hpp"

namespace parley::it {
namespace {

class CheckConfigTest : public ::testing::Test {
 protected:
  // Writes `config` (text) next to the fixture's own config and checks it.
  CommandResult check(const std::string& name, const std::string& text) {
    const auto path = scratch_.dir() / name;
    std::ofstream(path) << text;
    return ParleydProcess::check_config(path);
  }
  CommandResult check(const std::string& name, const nlohmann::json& patch) {
    nlohmann::json config = scratch_.config();
    config.merge_patch(patch);
    return check(name, config.dump(2));
  }

  ParleydProcess scratch_;  // never started: a temp dir and a valid config
};

TEST_F(CheckConfigTest, ValidConfigPasses) {
  const auto result = ParleydProcess::check_config(scratch_.config_path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(CheckConfigTest, CommentsAreAllowed) {
  const auto result =
      check("commented.json", "// parley test config\n" + scratch_.config().dump(2) + "\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(CheckConfigTest, PortOutOfRangeNamesTheKey) {
  const auto result = check("port.json", nlohmann::json{{"xmpp", {{"c2s", {{"port", 70000}}}}}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("xmpp.c2s.port"), std::string::npos) << result.err;
}

TEST_F(CheckConfigTest, WrongTypeNamesTheKey) {
  const auto result = check("type.json", nlohmann::json{{"threads", "many"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("threads"), std::string::npos) << result.err;
}

TEST_F(CheckConfigTest, UnknownEnumValueNamesTheKey) {
  const auto result = check("level.json", nlohmann::json{{"log", {{"level", "loud"}}}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("log.level"), std::string::npos) << result.err;
}

TEST_F(CheckConfigTest, MisspelledKeyIsReported) {
  const auto result = check("typo.json", nlohmann::json{{"xmpp", {{"require_startls", false}}}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("require_startls"), std::string::npos) << result.err;
}

TEST_F(CheckConfigTest, EveryProblemIsReportedAtOnce) {
  const auto result = check("many.json", nlohmann::json{{"log", {{"level", "loud"}}},
                                                        {"xmpp", {{"c2s", {{"port", -1}}}}},
                                                        {"shutdown_timeout_ms", "soon"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("log.level"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("xmpp.c2s.port"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("shutdown_timeout_ms"), std::string::npos) << result.err;
}

TEST_F(CheckConfigTest, NotJsonIsRefused) {
  const auto result = check("broken.json", std::string("{ \"domains\": [\"localhost\" "));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(result.err.empty());
}

TEST_F(CheckConfigTest, MissingFileIsRefused) {
  const auto result = ParleydProcess::check_config(scratch_.dir() / "does-not-exist.json");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(result.err.empty());
}

TEST_F(CheckConfigTest, DaemonRefusesToStartWithBrokenConfig) {
  ParleydProcess broken(nlohmann::json{{"log", {{"level", "loud"}}}});
  try {
    broken.start();
    FAIL() << "parleyd started with log.level=loud";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("exited during startup"), std::string::npos) << what;
    EXPECT_NE(what.find("log.level"), std::string::npos) << what;
  }
  EXPECT_FALSE(broken.running());
}

}  // namespace
}  // namespace parley::it
