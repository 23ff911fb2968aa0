#pragma once
// Digest nonces without per-challenge state (RFC 7616 §5.4 suggestion): a nonce is
//   <issued, hex seconds> "." <16 random hex> "." <HMAC-SHA256(secret, issued "." random "."
//   realm), first 32 hex>
// so any nonce we issued can be checked (and its age read) without remembering it, and a nonce
// from another realm or made up by a client fails the HMAC. Expired nonces are "stale": the
// client retries with a fresh one without asking its user (stale=true).
//
// Replay protection (RFC 7616 §3.3, nonce-count): for each nonce in use, the highest nc seen;
// a request must carry a larger one. A request without qop (RFC 2069 style) has no nc and may
// use a nonce once. The table is bounded and forgets nonces when they expire.
//
// Not thread-safe: used only on the services' strand.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace parley::sip {

class NonceManager {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  enum class Check { valid, stale, invalid };

  // `secret`: random bytes (32 are plenty); `epoch`: what the hex seconds count from.
  NonceManager(std::string secret, std::chrono::seconds lifetime, std::size_t max_tracked,
               TimePoint epoch);

  std::string issue(std::string_view realm, TimePoint now);
  Check check(std::string_view nonce, std::string_view realm, TimePoint now) const;
  // Records a use; false when it is a replay (nc not above the last one; any second use of a
  // nonce without qop). `nc` is the 8 hex digits, empty without qop.
  bool use(std::string_view nonce, std::string_view nc, TimePoint now);
  std::size_t tracked() const { return used_.size(); }

 private:
  std::string mac(std::string_view issued, std::string_view random, std::string_view realm) const;
  void make_room(TimePoint now);

  struct Use {
    std::uint64_t last_nc = 0;
    TimePoint issued;
  };
  std::string secret_;
  std::chrono::seconds lifetime_;
  std::size_t max_tracked_;
  TimePoint epoch_;
  std::map<std::string, Use, std::less<>> used_;
  // Nonces issued at or before this were evicted from `used_` (or may have been): refused as
  // stale rather than risking a replay.
  TimePoint floor_;
};

}  // namespace parley::sip
