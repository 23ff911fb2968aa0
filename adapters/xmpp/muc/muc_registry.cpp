#include "adapters/xmpp/muc/muc_registry.hpp"

#include <algorithm>

#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "adapters/xmpp/muc/muc_stanzas.hpp"

namespace parley::xmpp::muc {

void MucRegistry::add(const std::string& room, const std::string& nickname,
                      const std::shared_ptr<MucParticipant>& participant) {
  std::lock_guard lock(occupants_mutex_);
  auto& sessions = occupants_[Key{room, nickname}];
  std::erase_if(sessions, [&](const auto& weak) {
    auto locked = weak.lock();
    return !locked || locked == participant;
  });
  sessions.push_back(participant);
}

void MucRegistry::remove(const std::string& room, const std::string& nickname,
                         const MucParticipant* participant) {
  std::lock_guard lock(occupants_mutex_);
  auto it = occupants_.find(Key{room, nickname});
  if (it == occupants_.end()) return;
  std::erase_if(it->second, [&](const auto& weak) {
    auto locked = weak.lock();
    return !locked || locked.get() == participant;
  });
  if (it->second.empty()) occupants_.erase(it);
}

std::vector<std::shared_ptr<MucParticipant>> MucRegistry::find(const std::string& room,
                                                               const std::string& nickname) const {
  std::vector<std::shared_ptr<MucParticipant>> found;
  std::lock_guard lock(occupants_mutex_);
  auto it = occupants_.find(Key{room, nickname});
  if (it == occupants_.end()) return found;
  for (const auto& weak : it->second) {
    if (auto locked = weak.lock()) found.push_back(std::move(locked));
  }
  return found;
}

std::shared_ptr<const wire::SharedStanza> MucRegistry::groupchat(
    const std::shared_ptr<const model::RoomMessage>& message) {
  // A room message is asked for once per occupant, mostly back to back on each io thread: a
  // one-entry memo per thread answers those without the shared cache's lock, which both io
  // threads would otherwise take for every delivery.
  struct Memo {
    const MucRegistry* registry = nullptr;
    const model::RoomMessage* key = nullptr;
    std::weak_ptr<const model::RoomMessage> message;  // guards against a reused address
    std::shared_ptr<const wire::SharedStanza> stanza;
  };
  thread_local Memo memo;
  if (memo.registry == this && memo.key == message.get() && memo.message.lock() == message) {
    return memo.stanza;
  }
  auto remember = [this, &message](std::shared_ptr<const wire::SharedStanza> stanza) {
    memo = Memo{this, message.get(), message, stanza};
    return stanza;
  };
  {
    std::lock_guard lock(cache_mutex_);
    for (const auto& entry : cache_) {
      if (entry.key == message.get() && entry.message.lock() == message) {
        return remember(entry.stanza);
      }
    }
  }
  // Built outside the lock; two sessions racing on a new message may both build it (harmless).
  auto element = std::make_shared<const wire::XmlElement>(
      groupchat_message(room_jid(message->room, muc_domain_), *message));
  auto stanza = std::make_shared<const wire::SharedStanza>(
      wire::make_shared_stanza(std::move(element), ns::kClient));
  std::lock_guard lock(cache_mutex_);
  cache_[cache_next_] = CacheEntry{message, message.get(), stanza};
  cache_next_ = (cache_next_ + 1) % kCacheSize;
  return remember(std::move(stanza));
}

}  // namespace parley::xmpp::muc
