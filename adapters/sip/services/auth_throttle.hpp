#pragma once
// Digest authentication failure throttling (the SIP counterpart of the XMPP adapter's SASL
// throttle; adapters never share code). Failures are counted per source IP and per account in
// a window that starts with the first failure; at the limit, requests from that IP or for that
// account are refused with 403 before the credentials are looked at, so guessing is slowed
// down however it is spread. Bounded: at most `max_keys` entries per table, expired ones are
// dropped first, then the oldest.
//
// Not thread-safe: used only on the services' strand.
#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace parley::sip {

class AuthThrottle {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Limits {
    std::size_t per_ip = 10;
    std::size_t per_account = 5;
    std::chrono::seconds window{60};
    std::size_t max_keys = 65536;
  };

  explicit AuthThrottle(Limits limits) : limits_(limits) {}

  bool allowed(std::string_view ip, std::string_view account, TimePoint now);
  void record_failure(std::string_view ip, std::string_view account, TimePoint now);
  // Success forgets the account's failures, not the IP's.
  void record_success(std::string_view account);
  std::size_t tracked() const { return by_ip_.size() + by_account_.size(); }

 private:
  struct Entry {
    std::size_t failures = 0;
    TimePoint since;
  };
  using Table = std::map<std::string, Entry, std::less<>>;

  bool over(Table& table, std::string_view key, std::size_t limit, TimePoint now);
  void count(Table& table, std::string_view key, TimePoint now);
  void make_room(Table& table, TimePoint now);
  bool expired(const Entry& entry, TimePoint now) const {
    return now - entry.since >= limits_.window;
  }

  Limits limits_;
  Table by_ip_;
  Table by_account_;
};

}  // namespace parley::sip
