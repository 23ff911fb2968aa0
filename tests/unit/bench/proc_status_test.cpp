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

}  // namespace
}  // namespace parley::bench
