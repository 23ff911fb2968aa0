#include "adapters/sip/services/credential_cache.hpp"

#include "adapters/sip/services/bounded_table.hpp"

namespace parley::sip {

const api::DigestCredential* CredentialCache::find(const model::Address& bare,
                                                   TimePoint now) const {
  auto it = entries_.find(bare);
  if (it == entries_.end() || expired(it->second, now)) return nullptr;
  return &it->second.credential;
}

void CredentialCache::remember(const model::Address& bare, api::DigestCredential credential,
                               TimePoint read_at, TimePoint now) {
  if (lifetime_.count() <= 0 || max_entries_ == 0) return;
  Entry entry{std::move(credential), read_at};
  if (expired(entry, now)) return;
  auto it = entries_.find(bare);
  if (it != entries_.end()) {
    it->second = std::move(entry);
    return;
  }
  if (entries_.size() >= max_entries_) make_room(now);
  entries_.emplace(bare, std::move(entry));
}

void CredentialCache::make_room(TimePoint now) {
  make_room_in(
      entries_, max_entries_, [&](const Entry& entry) { return expired(entry, now); },
      [](const Entry& entry) { return entry.read_at; });
}

}  // namespace parley::sip
