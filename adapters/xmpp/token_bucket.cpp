#include "adapters/xmpp/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace parley::xmpp {

TokenBucket::TokenBucket(std::size_t rate_per_second, std::size_t burst, Clock::time_point now)
    : rate_(static_cast<double>(rate_per_second)),
      burst_(static_cast<double>(std::max<std::size_t>(burst, 1))),
      tokens_(burst_),
      last_(now) {}

void TokenBucket::refill(Clock::time_point now) {
  if (now <= last_) return;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  last_ = now;
}

std::size_t TokenBucket::available(Clock::time_point now) {
  if (unlimited()) return static_cast<std::size_t>(burst_);
  refill(now);
  return tokens_ < 1.0 ? 0 : static_cast<std::size_t>(std::floor(tokens_));
}

void TokenBucket::consume(std::size_t bytes, Clock::time_point now) {
  if (unlimited()) return;
  refill(now);
  tokens_ -= static_cast<double>(bytes);
  // Never owe more than one burst: one oversized read must not stall the stream for long.
  tokens_ = std::max(tokens_, -burst_);
}

TokenBucket::Clock::duration TokenBucket::delay(Clock::time_point now) {
  if (unlimited()) return Clock::duration::zero();
  refill(now);
  if (tokens_ >= 1.0) return Clock::duration::zero();
  const double seconds = (1.0 - tokens_) / rate_;
  auto d = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  return std::max<Clock::duration>(d, std::chrono::milliseconds(1));
}

}  // namespace parley::xmpp
