#pragma once
// AuthThrottle: failed SASL attempts counted per remote IP and per account in a sliding
// window, shared by every session of the server (thread-safe). Over either limit a login is
// refused with <temporary-auth-failure/> without checking the password (RFC 6120 §6.5.12), so
// password guessing is slowed down whichever way it is spread. Memory is bounded: at most
// max_keys addresses and accounts are tracked; expired entries are purged first, then the
// stalest one is evicted.
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace parley::xmpp {

class AuthThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  struct Limits {
    std::size_t failures_per_ip = 10;
    std::size_t failures_per_account = 5;
    std::chrono::seconds window{60};
    std::size_t max_keys = 65536;  // per table (IPs, accounts)
  };

  explicit AuthThrottle(Limits limits) : limits_(limits) {}

  // False when the IP or the account (may be empty: not known yet) reached its limit.
  bool allowed(std::string_view ip, std::string_view account, Clock::time_point now);
  void record_failure(std::string_view ip, std::string_view account, Clock::time_point now);
  // A successful login forgets the account's failures (not the IP's: a spraying client that
  // knows one password must not reset its own counter).
  void record_success(std::string_view account);

  std::size_t tracked_keys() const;  // for tests: entries in both tables

 private:
  using Window = std::deque<Clock::time_point>;
  using Table = std::map<std::string, Window, std::less<>>;

  bool over(Table& table, std::string_view key, std::size_t limit, Clock::time_point now);
  void add(Table& table, std::string_view key, std::size_t limit, Clock::time_point now);
  void expire(Window& window, Clock::time_point now) const;
  void make_room(Table& table, Clock::time_point now);

  Limits limits_;
  mutable std::mutex mutex_;
  Table by_ip_;
  Table by_account_;
};

}  // namespace parley::xmpp
