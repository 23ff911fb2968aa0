#include "bench/proc_status.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace parley::bench {
namespace {

TEST(ProcStatusTest, ParsesVmRssInKilobytes) {
  EXPECT_EQ(parse_vm_rss("Name:\tparleyd\nVmPeak:\t  99 kB\nVmRSS:\t   12345 kB\nThreads: 3\n"),
            12345LL * 1024);
  EXPECT_FALSE(parse_vm_rss("Name:\tx\nVmSize:\t 10 kB\n"));
  EXPECT_FALSE(parse_vm_rss("VmRSS:\t abc kB\n"));
}

TEST(ProcStatusTest, ReadsOwnProcess) {
  const auto rss = read_vm_rss(static_cast<long>(getpid()));
  ASSERT_TRUE(rss.has_value());
  EXPECT_GT(*rss, 0);
  EXPECT_FALSE(read_vm_rss(999999999));
}

TEST(ProcStatusTest, ParsesCpuTicksWithSteal) {
  const auto ticks = parse_cpu_ticks(
      "cpu  2147013 0 493275 9721966 23456 0 56060 87624 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n");
  ASSERT_TRUE(ticks.has_value());
  EXPECT_EQ(ticks->steal, 87624u);
  EXPECT_EQ(ticks->total, 2147013u + 493275u + 9721966u + 23456u + 56060u + 87624u);
  // Before steal was reported (Linux < 2.6.11): no steal, the rest counts.
  const auto old = parse_cpu_ticks("cpu  10 0 5 100 1 0 0\n");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->steal, 0u);
  EXPECT_EQ(old->total, 116u);
  EXPECT_FALSE(parse_cpu_ticks("cpu0 1 2 3 4\n"));
  EXPECT_FALSE(parse_cpu_ticks("intr 1 2 3\n"));
  EXPECT_FALSE(parse_cpu_ticks("cpu  1 2\n"));
}

TEST(ProcStatusTest, StealShareBetweenTwoReadings) {
  EXPECT_DOUBLE_EQ(*steal_pct({.total = 1000, .steal = 10}, {.total = 1400, .steal = 110}), 25.0);
  EXPECT_DOUBLE_EQ(*steal_pct({.total = 1000, .steal = 10}, {.total = 1200, .steal = 10}), 0.0);
  EXPECT_FALSE(steal_pct({.total = 1000, .steal = 10}, {.total = 1000, .steal = 10}));
  EXPECT_TRUE(read_cpu_ticks().has_value());
}

}  // namespace
}  // namespace parley::bench
