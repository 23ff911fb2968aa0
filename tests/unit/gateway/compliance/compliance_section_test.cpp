// The "compliance" config section: defaults, a full example, every problem reported.
#include "config/compliance_section.hpp"

#include <gtest/gtest.h>

#include "config/parley_config.hpp"

namespace parley::config {
namespace {

namespace cc = core::compliance;

struct Parsed {
  cc::ComplianceConfig config;
  std::vector<std::string> problems;
};

Parsed parse(std::string_view text) {
  Parsed out;
  read_compliance_section(nlohmann::json::parse(text), "/var/lib/parley", out.problems, out.config);
  return out;
}

bool has_problem(const Parsed& parsed, std::string_view fragment) {
  for (const auto& p : parsed.problems) {
    if (p.find(fragment) != std::string::npos) return true;
  }
  return false;
}

std::string all(const Parsed& parsed) {
  std::string out;
  for (const auto& p : parsed.problems) out += p + "\n";
  return out;
}

TEST(ComplianceSection, DefaultsAreDisabled) {
  const auto parsed = parse("{}");
  EXPECT_TRUE(parsed.problems.empty()) << all(parsed);
  EXPECT_FALSE(parsed.config.enabled);
  EXPECT_FALSE(parsed.config.settings().records(api::ComplianceEventKind::room_post));
  EXPECT_TRUE(parsed.config.exporters.empty());
}

TEST(ComplianceSection, FullExample) {
  const auto parsed = parse(R"({"compliance": {
    "enabled": true, "events": ["room.*", "im.message"], "batch_size": 100,
    "poll_interval_ms": 500, "retry_min_ms": 200, "retry_max_ms": 60000,
    "exporters": [
      {"name": "files", "type": "jsonl", "directory": "compliance", "rotate_bytes": 1048576,
       "rotate_seconds": 600},
      {"name": "xml-archive", "type": "xml", "directory": "/srv/audit", "file_prefix": "parley"},
      {"name": "vault", "type": "http", "url": "http://127.0.0.1:9000/ingest", "timeout_ms": 2000,
       "headers": {"Authorization": "Bearer abc"}}]}})");
  ASSERT_TRUE(parsed.problems.empty()) << all(parsed);
  const auto& c = parsed.config;
  EXPECT_TRUE(c.enabled);
  const auto settings = c.settings();
  EXPECT_TRUE(settings.records(api::ComplianceEventKind::room_post));
  EXPECT_TRUE(settings.records(api::ComplianceEventKind::role_change));
  EXPECT_TRUE(settings.records(api::ComplianceEventKind::message));
  EXPECT_FALSE(settings.records(api::ComplianceEventKind::file_upload));
  EXPECT_FALSE(settings.records(api::ComplianceEventKind::subscription));
  EXPECT_EQ(c.batch_size, 100u);
  EXPECT_EQ(c.retry_min.count(), 200);
  ASSERT_EQ(c.exporters.size(), 3u);
  EXPECT_EQ(c.exporters[0].directory, "/var/lib/parley/compliance");
  EXPECT_EQ(c.exporters[0].rotate_bytes, 1048576u);
  EXPECT_EQ(c.exporters[0].rotate_age.count(), 600);
  EXPECT_EQ(c.exporters[1].type, cc::ExporterType::xml);
  EXPECT_EQ(c.exporters[1].directory, "/srv/audit");
  EXPECT_EQ(c.exporters[1].file_prefix, "parley");
  EXPECT_EQ(c.exporters[2].type, cc::ExporterType::http);
  EXPECT_EQ(c.exporters[2].timeout.count(), 2000);
  ASSERT_EQ(c.exporters[2].headers.size(), 1u);
  EXPECT_EQ(c.exporter_names(), (std::vector<std::string>{"files", "xml-archive", "vault"}));
}

TEST(ComplianceSection, DefaultEventsLeaveOutOneToOne) {
  const auto parsed = parse(R"({"compliance": {"enabled": true,
      "exporters": [{"name": "f", "type": "jsonl"}]}})");
  ASSERT_TRUE(parsed.problems.empty()) << all(parsed);
  const auto settings = parsed.config.settings();
  EXPECT_TRUE(settings.records(api::ComplianceEventKind::room_join));
  EXPECT_TRUE(settings.records(api::ComplianceEventKind::file_download));
  EXPECT_FALSE(settings.records(api::ComplianceEventKind::message));
  const auto star = parse(R"({"compliance": {"events": ["*"]}})");
  EXPECT_EQ(star.config.events.size(), api::kComplianceEventKinds);
}

TEST(ComplianceSection, ReportsEveryProblem) {
  const auto parsed = parse(R"({"compliance": {
    "enabled": true, "events": ["room.post", "room.typo", "chat.*"], "batch_size": 0,
    "retry_min_ms": 5000, "retry_max_ms": 1000, "colour": "blue",
    "exporters": [
      {"name": "a", "type": "jsonl", "url": "http://x/"},
      {"name": "a", "type": "jsonl"},
      {"type": "ftp"},
      {"name": "bad name", "type": "http", "url": "https://vault/", "rotate_bytes": 5,
       "headers": {"Content-Length": "1", "X-Ok": "a\r\nInjected: 1", "bad header": "x"}},
      {"name": "h", "type": "http"},
      {"name": "p", "type": "xml", "file_prefix": "../up"},
      7]}})");
  for (std::string_view expected :
       {"compliance.events[1]: unknown event kind \"room.typo\"", "compliance.events[2]",
        "compliance.batch_size", "compliance.retry_max_ms", "compliance.colour: unknown key",
        "compliance.exporters[0].url: only for type http",
        "compliance.exporters[1].name: \"a\" is used twice",
        "compliance.exporters[1].file_prefix: another exporter writes",
        "compliance.exporters[2].name: required", "compliance.exporters[2].type",
        "compliance.exporters[3].name", "compliance.exporters[3].url: https is not supported",
        "compliance.exporters[3].rotate_bytes: only for type jsonl or xml",
        "compliance.exporters[3].headers.Content-Length", "compliance.exporters[3].headers.X-Ok",
        "compliance.exporters[3].headers.bad header", "compliance.exporters[4].url: required",
        "compliance.exporters[5].file_prefix", "compliance.exporters[6]: expected an object"}) {
    EXPECT_TRUE(has_problem(parsed, expected)) << expected << "\nall:\n" << all(parsed);
  }
}

TEST(ComplianceSection, EnabledNeedsAnExporter) {
  const auto parsed = parse(R"({"compliance": {"enabled": true}})");
  EXPECT_TRUE(has_problem(parsed, "compliance.exporters: at least one exporter"));
}

TEST(ComplianceSection, ParleyConfigReadsIt) {
  auto config = parse_config(
      R"({"compliance": {"enabled": true, "exporters": [{"name": "f", "type": "jsonl"}]}})",
      "/etc/parley", CheckOptions{.files = false, .ports = false});
  ASSERT_TRUE(config) << config.error().front();
  EXPECT_TRUE(config->compliance.enabled);
  EXPECT_EQ(config->compliance.exporters.at(0).directory, config->data_dir / "compliance");
  auto bad = parse_config(R"({"compliance": {"enabled": "yes"}})", "/etc/parley",
                          CheckOptions{.files = false, .ports = false});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().front().find("compliance.enabled"), std::string::npos);
}

}  // namespace
}  // namespace parley::config
