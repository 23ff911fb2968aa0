#include "bench/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace parley::bench {

std::size_t LatencyHistogram::bucket_of(std::uint64_t ns) {
  if (ns < kLinear) return static_cast<std::size_t>(ns);
  // shift >= 1 puts the top 7 bits (64..127) in the sub-bucket.
  const auto shift = static_cast<std::size_t>(std::bit_width(ns)) - 7;
  const auto sub = static_cast<std::size_t>(ns >> shift) - kSubBuckets;
  return kLinear + (shift - 1) * kSubBuckets + sub;
}

std::uint64_t LatencyHistogram::bucket_low(std::size_t bucket) {
  if (bucket < kLinear) return bucket;
  const std::size_t shift = (bucket - kLinear) / kSubBuckets + 1;
  const std::uint64_t sub = (bucket - kLinear) % kSubBuckets + kSubBuckets;
  return sub << shift;
}

std::uint64_t LatencyHistogram::bucket_high(std::size_t bucket) {
  if (bucket < kLinear) return bucket;
  const std::size_t shift = (bucket - kLinear) / kSubBuckets + 1;
  return bucket_low(bucket) + ((std::uint64_t{1} << shift) - 1);
}

void LatencyHistogram::record(std::int64_t ns) {
  if (ns < 0) ns = 0;
  ++counts_[bucket_of(static_cast<std::uint64_t>(ns))];
  ++count_;
  max_ns_ = std::max(max_ns_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ns_ = std::max(max_ns_, other.max_ns_);
}

std::int64_t LatencyHistogram::percentile_ns(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // Nearest rank: the ceil(q × n)-th smallest sample (at least the first).
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const std::uint64_t mid = bucket_low(i) + (bucket_high(i) - bucket_low(i)) / 2;
      return std::min(static_cast<std::int64_t>(mid), max_ns_);
    }
  }
  return max_ns_;
}

}  // namespace parley::bench
