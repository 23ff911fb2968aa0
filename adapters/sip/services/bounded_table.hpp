#pragma once
// The eviction rule shared by the SIP services' bounded tables (AuthThrottle, NonceManager,
// CredentialCache): to make room for one more entry, drop every expired entry first; if the
// table is still full, drop the entry whose `time_of` is earliest.
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <map>
#include <optional>

namespace parley::sip {

// Returns the time of the live entry dropped to make room, if one had to be (a caller that
// must not forget it silently, like the nonce table, raises its floor to it).
template <class Map, class Expired, class TimeOf>
auto make_room_in(Map& table, std::size_t max_entries, Expired expired, TimeOf time_of)
    -> std::optional<decltype(time_of(table.begin()->second))> {
  std::erase_if(table, [&](const auto& entry) { return expired(entry.second); });
  if (table.size() < max_entries || table.empty()) return std::nullopt;
  auto oldest = std::min_element(table.begin(), table.end(), [&](const auto& a, const auto& b) {
    return time_of(a.second) < time_of(b.second);
  });
  auto dropped = time_of(oldest->second);
  table.erase(oldest);
  return dropped;
}

}  // namespace parley::sip
