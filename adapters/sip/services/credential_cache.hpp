#pragma once
// Stored digest credentials remembered for a short while (`sip.auth.credential_cache_s`), so
// that a client's every request does not wait for the account store. A SIP client
// authenticates each MESSAGE, PUBLISH and SUBSCRIBE refresh with the nonce it was challenged
// with once (RFC 7616 §3.3: nc counts up); without this, each of those queued a read on the
// store thread, behind the archive's batch writes when the archive is busy.
//
// Only a credential that a request was just verified against is remembered, and for
// `lifetime` from that store read (a hit does not extend it). A request that fails against
// the remembered credential is checked against the store again, so a new password works at
// once; the price of the cache is that an old password, or a removed account's, keeps working
// for at most `lifetime`, as an established session does in the other protocols. Lifetime 0
// turns it off. Bounded: at most `max_entries`, expired ones dropped first, then the oldest.
//
// Not thread-safe: used only on the services' strand.
#include <chrono>
#include <cstddef>
#include <map>

#include "gateway/api/stores.hpp"
#include "mapping/model/address.hpp"

namespace parley::sip {

class CredentialCache {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  CredentialCache(std::chrono::seconds lifetime, std::size_t max_entries)
      : lifetime_(lifetime), max_entries_(max_entries) {}

  // The credential read for `bare` less than `lifetime` ago, or nullptr.
  const api::DigestCredential* find(const model::Address& bare, TimePoint now) const;
  // `read_at`: when the store was asked (an answer that waited in a queue is no newer).
  void remember(const model::Address& bare, api::DigestCredential credential, TimePoint read_at,
                TimePoint now);
  void forget(const model::Address& bare) { entries_.erase(bare); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    api::DigestCredential credential;
    TimePoint read_at;
  };
  bool expired(const Entry& entry, TimePoint now) const { return now - entry.read_at >= lifetime_; }
  void make_room(TimePoint now);

  std::chrono::seconds lifetime_;
  std::size_t max_entries_;
  std::map<model::Address, Entry> entries_;
};

}  // namespace parley::sip
