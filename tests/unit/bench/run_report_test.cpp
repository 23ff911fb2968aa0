#include "bench/run_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace parley::bench {
namespace {

TEST(RunReportTest, OneLineWithEveryContractFieldInOrder) {
  RunReport report;
  report.scenario = "one2one";
  report.label = "parleyd";
  report.clients = 100;
  report.window = 8;
  report.duration_s = 10;
  report.sent = 1000;
  report.delivered = 998;
  report.lost = 2;
  report.msgs_per_s = 99.8;
  for (int v = 1; v <= 100; ++v) report.latency.record(v * 1000000);  // 1..100 ms
  report.driver_cpu_pct = 12.3456;
  report.host_steal_pct = 2.34567;
  report.extra["connect_s"] = 1.5;
  const std::string line = to_json_line(report);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto json = nlohmann::ordered_json::parse(line);
  const char* fields[] = {"scenario",       "label",
                          "clients",        "threads",
                          "offered_rate",   "window",
                          "duration_s",     "sent",
                          "delivered",      "lost",
                          "duplicates",     "msgs_per_s",
                          "p50_ms",         "p90_ms",
                          "p99_ms",         "max_ms",
                          "logins_per_s",   "rss_per_conn_bytes",
                          "driver_cpu_pct", "driver_max_thread_busy_pct",
                          "driver_bound",   "host_steal_pct",
                          "errors",         "first_error",
                          "connect_s"};
  auto it = json.begin();
  for (const char* field : fields) {
    ASSERT_NE(it, json.end()) << field;
    EXPECT_EQ(it.key(), field);
    ++it;
  }
  EXPECT_EQ(json["offered_rate"], nullptr);
  EXPECT_EQ(json["window"], 8);
  EXPECT_EQ(json["lost"], 2);
  EXPECT_EQ(json["logins_per_s"], nullptr);
  EXPECT_EQ(json["first_error"], nullptr);
  EXPECT_NEAR(json["p50_ms"].get<double>(), 50.0, 1.0);
  EXPECT_NEAR(json["p99_ms"].get<double>(), 99.0, 2.0);
  EXPECT_DOUBLE_EQ(json["max_ms"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(json["driver_cpu_pct"].get<double>(), 12.346);  // rounded to 3 places
  EXPECT_EQ(json["driver_bound"], false);
  EXPECT_DOUBLE_EQ(json["host_steal_pct"].get<double>(), 2.346);
}

TEST(RunReportTest, NoLatencySamplesGiveNulls) {
  RunReport report;
  report.scenario = "idle";
  report.rss_per_conn_bytes = 20480;
  const auto json = nlohmann::json::parse(to_json_line(report));
  EXPECT_EQ(json["p50_ms"], nullptr);
  EXPECT_EQ(json["max_ms"], nullptr);
  EXPECT_EQ(json["rss_per_conn_bytes"], 20480);
  EXPECT_EQ(json["host_steal_pct"], nullptr);  // unknown
}

TEST(RunReportTest, InvalidUtf8InAnErrorStillGivesValidJson) {
  RunReport report;
  report.errors = 1;
  report.first_error = std::string("bad \xff byte");
  const auto json = nlohmann::json::parse(to_json_line(report));
  EXPECT_EQ(json["errors"], 1);
  EXPECT_TRUE(json["first_error"].is_string());
}

}  // namespace
}  // namespace parley::bench
