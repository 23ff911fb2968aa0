#include "adapters/sip/services/auth_throttle.hpp"

#include <algorithm>

#include "adapters/sip/services/bounded_table.hpp"

namespace parley::sip {

bool AuthThrottle::over(Table& table, std::string_view key, std::size_t limit, TimePoint now) {
  if (key.empty() || limit == 0) return false;
  auto it = table.find(key);
  if (it == table.end()) return false;
  if (expired(it->second, now)) {
    table.erase(it);
    return false;
  }
  return it->second.failures >= limit;
}

void AuthThrottle::make_room(Table& table, TimePoint now) {
  if (table.size() < limits_.max_keys) return;
  make_room_in(
      table, limits_.max_keys, [&](const Entry& entry) { return expired(entry, now); },
      [](const Entry& entry) { return entry.since; });
}

void AuthThrottle::count(Table& table, std::string_view key, TimePoint now) {
  if (key.empty()) return;
  auto it = table.find(key);
  if (it == table.end()) {
    make_room(table, now);
    it = table.emplace(std::string(key), Entry{0, now}).first;
  } else if (expired(it->second, now)) {
    it->second = Entry{0, now};
  }
  ++it->second.failures;
}

bool AuthThrottle::allowed(std::string_view ip, std::string_view account, TimePoint now) {
  const bool ip_over = over(by_ip_, ip, limits_.per_ip, now);
  const bool account_over = over(by_account_, account, limits_.per_account, now);
  return !ip_over && !account_over;
}

void AuthThrottle::record_failure(std::string_view ip, std::string_view account, TimePoint now) {
  count(by_ip_, ip, now);
  count(by_account_, account, now);
}

void AuthThrottle::record_success(std::string_view account) {
  if (auto it = by_account_.find(account); it != by_account_.end()) by_account_.erase(it);
}

}  // namespace parley::sip
