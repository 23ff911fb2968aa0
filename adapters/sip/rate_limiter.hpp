#pragma once
// SourceRateLimiter: a token bucket of new requests per remote IP, so one flooding source gets
// 503 Retry-After while everyone else is served. Pure: time is passed in, tests need no clock.
// The table is bounded: idle (refilled) sources are forgotten when it is full, and while it is
// still full new sources are refused (memory stays bounded under a spoofed-address flood).
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace parley::sip {

class SourceRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // rate == 0: unlimited.
  SourceRateLimiter(double rate_per_second, double burst, std::size_t max_sources);
  bool allow(const boost::asio::ip::address& source, Clock::time_point now);
  std::size_t tracked() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  void refill(Bucket& bucket, Clock::time_point now) const;
  void sweep(Clock::time_point now);

  double rate_;
  double burst_;
  std::size_t max_sources_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace parley::sip
