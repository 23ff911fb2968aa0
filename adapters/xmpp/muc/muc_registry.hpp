#pragma once
// MucRegistry: what the MUC component shares across the sessions of one XmppServer.
//  - the occupants of each room by nickname, for private messages (XEP-0045 §7.5), which the
//    rooms service does not route;
//  - a small cache of the serialized-once groupchat stanza of each posted message: the rooms
//    service fans out ONE shared RoomMessage to every participant, and every session of a room
//    would otherwise rebuild and re-serialize the same element. Every session queues the same
//    shared bytes with only its own 'to' in between (wire::SharedStanza).
// Thread-safe (one mutex each; held only for map look-ups).
#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "adapters/xmpp/wire/shared_stanza.hpp"
#include "mapping/model/room_model.hpp"

namespace parley::xmpp::muc {

class MucParticipant;

class MucRegistry {
 public:
  explicit MucRegistry(std::string muc_domain) : muc_domain_(std::move(muc_domain)) {}

  const std::string& muc_domain() const { return muc_domain_; }

  void add(const std::string& room, const std::string& nickname,
           const std::shared_ptr<MucParticipant>& participant);
  void remove(const std::string& room, const std::string& nickname,
              const MucParticipant* participant);
  // The live sessions of the occupant `nickname` of `room`.
  std::vector<std::shared_ptr<MucParticipant>> find(const std::string& room,
                                                    const std::string& nickname) const;

  // The groupchat stanza of `message` (XEP-0045 §7.4, 'to' left to each recipient), built and
  // serialized at most once per message while it is among the last kCacheSize messages posted.
  std::shared_ptr<const wire::SharedStanza> groupchat(
      const std::shared_ptr<const model::RoomMessage>& message);

  static constexpr std::size_t kCacheSize = 64;

 private:
  using Key = std::pair<std::string, std::string>;  // room, nickname
  struct CacheEntry {
    std::weak_ptr<const model::RoomMessage> message;  // guards against a reused address
    const model::RoomMessage* key = nullptr;
    std::shared_ptr<const wire::SharedStanza> stanza;
  };

  const std::string muc_domain_;
  mutable std::mutex occupants_mutex_;
  std::map<Key, std::vector<std::weak_ptr<MucParticipant>>> occupants_;
  std::mutex cache_mutex_;
  std::array<CacheEntry, kCacheSize> cache_{};
  std::size_t cache_next_ = 0;
};

}  // namespace parley::xmpp::muc
