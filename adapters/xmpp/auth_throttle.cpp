#include "adapters/xmpp/auth_throttle.hpp"

#include <algorithm>

namespace parley::xmpp {

void AuthThrottle::expire(Window& window, Clock::time_point now) const {
  while (!window.empty() && now - window.front() >= limits_.window) window.pop_front();
}

bool AuthThrottle::over(Table& table, std::string_view key, std::size_t limit,
                        Clock::time_point now) {
  if (key.empty() || limit == 0) return false;
  auto it = table.find(key);
  if (it == table.end()) return false;
  expire(it->second, now);
  if (it->second.empty()) {
    table.erase(it);
    return false;
  }
  return it->second.size() >= limit;
}

void AuthThrottle::make_room(Table& table, Clock::time_point now) {
  if (table.size() < limits_.max_keys) return;
  for (auto it = table.begin(); it != table.end();) {
    expire(it->second, now);
    it = it->second.empty() ? table.erase(it) : std::next(it);
  }
  if (table.size() < limits_.max_keys) return;
  auto stalest = std::min_element(table.begin(), table.end(), [](const auto& a, const auto& b) {
    return a.second.back() < b.second.back();
  });
  table.erase(stalest);
}

void AuthThrottle::add(Table& table, std::string_view key, std::size_t limit,
                       Clock::time_point now) {
  if (key.empty() || limit == 0) return;
  auto it = table.find(key);
  if (it == table.end()) {
    make_room(table, now);
    it = table.emplace(std::string(key), Window{}).first;
  }
  expire(it->second, now);
  it->second.push_back(now);
  // Only the newest `limit` failures can matter for the decision.
  while (it->second.size() > limit) it->second.pop_front();
}

bool AuthThrottle::allowed(std::string_view ip, std::string_view account, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const bool ip_over = over(by_ip_, ip, limits_.failures_per_ip, now);
  const bool account_over = over(by_account_, account, limits_.failures_per_account, now);
  return !ip_over && !account_over;
}

void AuthThrottle::record_failure(std::string_view ip, std::string_view account,
                                  Clock::time_point now) {
  std::lock_guard lock(mutex_);
  add(by_ip_, ip, limits_.failures_per_ip, now);
  add(by_account_, account, limits_.failures_per_account, now);
}

void AuthThrottle::record_success(std::string_view account) {
  std::lock_guard lock(mutex_);
  if (auto it = by_account_.find(account); it != by_account_.end()) by_account_.erase(it);
}

std::size_t AuthThrottle::tracked_keys() const {
  std::lock_guard lock(mutex_);
  return by_ip_.size() + by_account_.size();
}

}  // namespace parley::xmpp
