#include "bench/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace parley::bench {
namespace {

TEST(LatencyHistogramTest, EmptyReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile_ns(0.5), 0);
  EXPECT_EQ(h.max_ns(), 0);
}

TEST(LatencyHistogramTest, SmallValuesAreExactNearestRank) {
  LatencyHistogram h;
  for (int v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.percentile_ns(0.50), 50);
  EXPECT_EQ(h.percentile_ns(0.90), 90);
  EXPECT_EQ(h.percentile_ns(0.99), 99);
  EXPECT_EQ(h.percentile_ns(1.0), 100);
  EXPECT_EQ(h.percentile_ns(0.001), 1);
  EXPECT_EQ(h.max_ns(), 100);
}

TEST(LatencyHistogramTest, BucketsCoverTheRangeContiguously) {
  for (std::size_t b = 0; b + 1 < LatencyHistogram::kBuckets; ++b) {
    ASSERT_EQ(LatencyHistogram::bucket_high(b) + 1, LatencyHistogram::bucket_low(b + 1)) << b;
  }
  const std::uint64_t values[] = {
      0, 127, 128, 129, 1000, 123456789, static_cast<std::uint64_t>(INT64_MAX)};
  for (const std::uint64_t v : values) {
    const std::size_t b = LatencyHistogram::bucket_of(v);
    ASSERT_LT(b, LatencyHistogram::kBuckets);
    EXPECT_LE(LatencyHistogram::bucket_low(b), v);
    EXPECT_GE(LatencyHistogram::bucket_high(b), v);
  }
}

TEST(LatencyHistogramTest, PercentilesWithinBucketPrecisionOfSortedSamples) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(13.0, 1.5);  // ~0.4 ms median, long tail
  std::vector<std::int64_t> samples;
  LatencyHistogram h;
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<std::int64_t>(dist(rng));
    samples.push_back(v);
    h.record(v);
  }
  std::sort(samples.begin(), samples.end());
  for (const double q : {0.5, 0.9, 0.99, 0.999}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * samples.size())) - 1;
    const double exact = static_cast<double>(samples[rank]);
    EXPECT_NEAR(static_cast<double>(h.percentile_ns(q)), exact, exact / 60.0) << q;
  }
  EXPECT_EQ(h.max_ns(), samples.back());
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverythingInOne) {
  LatencyHistogram a, b, all;
  for (int v = 0; v < 5000; ++v) {
    (v % 3 == 0 ? a : b).record(v * 997);
    all.record(v * 997);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.max_ns(), all.max_ns());
  for (const double q : {0.1, 0.5, 0.9, 0.99}) EXPECT_EQ(a.percentile_ns(q), all.percentile_ns(q));
}

TEST(LatencyHistogramTest, NegativeCountsAsZero) {
  LatencyHistogram h;
  h.record(-10);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.percentile_ns(1.0), 0);
}

}  // namespace
}  // namespace parley::bench
