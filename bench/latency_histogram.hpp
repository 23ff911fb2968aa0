#pragma once
// Latency distribution with bounded memory: log-linear buckets (64 per power of two, so a
// reported percentile is within 1/64 ≈ 1.6% of the true sample; values below 128 ns are exact),
// plus the exact maximum. One per driver thread, merged at the end: recording is an increment,
// never an allocation, so it does not perturb the hot path.
#include <array>
#include <cstddef>
#include <cstdint>

namespace parley::bench {

class LatencyHistogram {
 public:
  void record(std::int64_t ns);  // negative values (clock misuse) count as 0
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::int64_t max_ns() const { return max_ns_; }
  // Nearest-rank percentile, q in (0, 1]: the smallest recorded value such that at least
  // q × count samples are <= it (bucket midpoint, clamped to the maximum). 0 when empty.
  std::int64_t percentile_ns(double q) const;

  // Exposed for tests: bucket index of a value and the value range of a bucket.
  static std::size_t bucket_of(std::uint64_t ns);
  static std::uint64_t bucket_low(std::size_t bucket);
  static std::uint64_t bucket_high(std::size_t bucket);  // inclusive

  static constexpr std::size_t kSubBuckets = 64;
  static constexpr std::size_t kLinear = 2 * kSubBuckets;  // 0..127 ns, one bucket each
  static constexpr std::size_t kBuckets = kLinear + (64 - 7) * kSubBuckets;

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ns_ = 0;
};

}  // namespace parley::bench
