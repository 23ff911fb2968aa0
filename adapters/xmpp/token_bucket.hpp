#pragma once
// TokenBucket: the per-connection read rate limit. Reading is paused (never dropped) while the
// bucket is empty, so a fast sender is slowed to the configured rate (ARCHITECTURE.md: "reading
// from the source is paused"). Pure: time is passed in, so tests need no clock.
#include <chrono>
#include <cstddef>

namespace parley::xmpp {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // rate_per_second == 0: unlimited. burst: bucket capacity in bytes (at least 1).
  TokenBucket(std::size_t rate_per_second, std::size_t burst, Clock::time_point now);

  bool unlimited() const { return rate_ == 0; }
  // Bytes that may be read now (0 while the bucket is empty); capped by the burst.
  std::size_t available(Clock::time_point now);
  // Takes `bytes` just read; the balance may go negative (a read can return more than was
  // available when its buffer was sized earlier), which lengthens the next pause.
  void consume(std::size_t bytes, Clock::time_point now);
  // How long to pause until at least one byte may be read again; zero when not empty.
  Clock::duration delay(Clock::time_point now);

 private:
  void refill(Clock::time_point now);

  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace parley::xmpp
