// Per-source token bucket for new SIP requests.
#include "adapters/sip/rate_limiter.hpp"

#include <algorithm>

namespace parley::sip {

SourceRateLimiter::SourceRateLimiter(double rate_per_second, double burst, std::size_t max_sources)
    : rate_(std::max(0.0, rate_per_second)),
      burst_(std::max(1.0, burst)),
      max_sources_(std::max<std::size_t>(1, max_sources)) {}

void SourceRateLimiter::refill(Bucket& bucket, Clock::time_point now) const {
  if (now <= bucket.last) return;
  const double seconds = std::chrono::duration<double>(now - bucket.last).count();
  bucket.tokens = std::min(burst_, bucket.tokens + seconds * rate_);
  bucket.last = now;
}

void SourceRateLimiter::sweep(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

bool SourceRateLimiter::allow(const boost::asio::ip::address& source, Clock::time_point now) {
  if (rate_ == 0) return true;
  const std::string key = source.to_string();
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_sources_) sweep(now);
    if (buckets_.size() >= max_sources_) return false;
    it = buckets_.emplace(key, Bucket{burst_, now}).first;
  }
  refill(it->second, now);
  if (it->second.tokens < 1.0) return false;
  it->second.tokens -= 1.0;
  return true;
}

}  // namespace parley::sip
