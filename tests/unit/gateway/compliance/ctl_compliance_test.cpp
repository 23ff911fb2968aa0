// `parleyctl compliance status`: parsing, text and JSON output from a real database.
#include "gateway/app/ctl_compliance_commands.hpp"

#include <gtest/gtest.h>

#include "gateway/storage/compliance/compliance_store.hpp"
#include "gateway/storage/database.hpp"
#include "tests/unit/gateway/compliance/compliance_test_util.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::app {
namespace {

TEST(CtlCompliance, ParsesTheCommand) {
  auto inv = parse_ctl_args({"compliance", "status", "--json"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command.verb, CtlVerb::compliance_status);
  EXPECT_TRUE(inv->json);
  EXPECT_TRUE(is_compliance_verb(inv->command.verb));
  EXPECT_FALSE(is_room_verb(inv->command.verb));
  EXPECT_FALSE(parse_ctl_args({"compliance", "status", "extra"}));
  EXPECT_FALSE(parse_ctl_args({"compliance"}));
  EXPECT_NE(ctl_usage().find("compliance status"), std::string::npos);
}

TEST(CtlCompliance, ShowsDepthAndExporterStatus) {
  storage::testing::TempDir dir;
  auto db = storage::Database::open(dir.path() / "parley.db");
  ASSERT_TRUE(db) << db.error();
  storage::SqliteComplianceOutbox outbox(db.value()->sql());
  const auto first = compliance_testing::make_event(0);
  outbox.append(first);
  outbox.append(compliance_testing::make_event(1));
  const auto now = first.time + std::chrono::seconds(90);
  outbox.confirm("files", 1, 1, now);
  outbox.record_failure("vault", "HTTP 503 Service Unavailable", now);

  core::compliance::ComplianceConfig config;
  config.enabled = true;
  config.exporters.resize(2);
  config.exporters[0].name = "files";
  config.exporters[1].name = "vault";
  CtlCommand command;
  command.verb = CtlVerb::compliance_status;
  const auto out = run_compliance_command(command, outbox, config, now);
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_NE(out.text.find("compliance: enabled"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("outbox: 2 event(s)"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("(90 s ago)"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("exporter files: cursor 1, pending 1"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("consecutive failures 1"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("HTTP 503"), std::string::npos) << out.text;
  EXPECT_EQ(out.data.at("depth"), 2);
  EXPECT_EQ(out.data.at("oldest_age_s"), 90);
  EXPECT_EQ(out.data.at("enabled"), true);
  EXPECT_EQ(out.data.at("exporters").at(1).at("consecutive_failures"), 1);
  const auto json = nlohmann::json::parse(render_ctl_output(out, true));
  EXPECT_EQ(json.at("ok"), true);
  EXPECT_EQ(json.at("exporters").at(0).at("name"), "files");
}

}  // namespace
}  // namespace parley::app
