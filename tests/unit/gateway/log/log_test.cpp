#include "gateway/log/log.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace parley::log {
namespace {

// The logger writes to stderr; gtest's capture redirects the file descriptor for the test.
std::string capture(void (*body)()) {
  ::testing::internal::CaptureStderr();
  body();
  return ::testing::internal::GetCapturedStderr();
}

TEST(Log, JsonLineHasAllFields) {
  configure(Level::debug, Format::json);
  std::string out = capture([] {
    PARLEY_LOG_INFO("xmpp", "s-42", "bound",
                    {{"jid", "romeo@example.net/orchard"}, {"quote", "a \"b\"\n"}});
  });
  ASSERT_FALSE(out.empty());
  ASSERT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "exactly one line";
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j.at("level"), "info");
  EXPECT_EQ(j.at("component"), "xmpp");
  EXPECT_EQ(j.at("session"), "s-42");
  EXPECT_EQ(j.at("event"), "bound");
  EXPECT_EQ(j.at("jid"), "romeo@example.net/orchard");
  EXPECT_EQ(j.at("quote"), "a \"b\"\n");
  std::string ts = j.at("ts");
  EXPECT_EQ(ts.size(), std::string("2024-01-01T00:00:00.000Z").size());
  EXPECT_EQ(ts.back(), 'Z');
}

TEST(Log, JsonOmitsEmptySession) {
  configure(Level::debug, Format::json);
  std::string out = capture([] { PARLEY_LOG_WARN("core", "", "started"); });
  auto j = nlohmann::json::parse(out);
  EXPECT_FALSE(j.contains("session"));
  EXPECT_EQ(j.at("level"), "warn");
}

TEST(Log, TextLineQuotesValuesThatNeedIt) {
  configure(Level::debug, Format::text);
  std::string out = capture([] {
    PARLEY_LOG_ERROR("sip", "s1", "failed", {{"reason", "bad header"}, {"code", "400"}});
  });
  EXPECT_NE(out.find(" error sip session=s1 event=failed reason=\"bad header\" code=400\n"),
            std::string::npos)
      << out;
}

TEST(Log, LevelFiltering) {
  configure(Level::warn, Format::json);
  EXPECT_FALSE(enabled(Level::debug));
  EXPECT_FALSE(enabled(Level::info));
  EXPECT_TRUE(enabled(Level::warn));
  EXPECT_TRUE(enabled(Level::error));
  std::string out = capture([] { PARLEY_LOG_INFO("core", "", "hidden"); });
  EXPECT_TRUE(out.empty()) << out;
  configure(Level::info, Format::text);
}

TEST(Log, LevelNames) {
  EXPECT_EQ(level_from_name("debug"), Level::debug);
  EXPECT_EQ(level_from_name("info"), Level::info);
  EXPECT_EQ(level_from_name("warn"), Level::warn);
  EXPECT_EQ(level_from_name("error"), Level::error);
  EXPECT_EQ(level_from_name("verbose"), std::nullopt);
}

}  // namespace
}  // namespace parley::log
