#include "gateway/core/rooms/participant_index.hpp"

#include <algorithm>

namespace parley::core::rooms {

void ParticipantIndex::add(const api::RoomParticipant* participant, const std::string& room) {
  Shard& s = shard(participant);
  std::lock_guard lock(s.mutex);
  s.rooms[participant].insert(room);
}

void ParticipantIndex::remove(const api::RoomParticipant* participant, const std::string& room) {
  Shard& s = shard(participant);
  std::lock_guard lock(s.mutex);
  const auto it = s.rooms.find(participant);
  if (it == s.rooms.end()) return;
  it->second.erase(room);
  if (it->second.empty()) s.rooms.erase(it);
}

std::vector<std::string> ParticipantIndex::rooms_of(const api::RoomParticipant* participant) const {
  Shard& s = shard(participant);
  std::lock_guard lock(s.mutex);
  const auto it = s.rooms.find(participant);
  if (it == s.rooms.end()) return {};
  return {it->second.begin(), it->second.end()};
}

void WatcherTable::add(const model::Address& user, std::weak_ptr<api::RoomParticipant> watcher) {
  std::lock_guard lock(mutex_);
  auto& list = watchers_[user.bare_string()];
  list.erase(std::remove_if(list.begin(), list.end(), [](const auto& w) { return w.expired(); }),
             list.end());
  const auto* raw = watcher.lock().get();
  if (raw == nullptr) return;
  for (const auto& w : list) {
    if (w.lock().get() == raw) return;
  }
  // Bounded: the oldest registration goes first (a client reconnecting in a loop).
  if (list.size() >= max_per_user_ && !list.empty()) list.erase(list.begin());
  list.push_back(std::move(watcher));
}

void WatcherTable::remove(const model::Address& user, const api::RoomParticipant* watcher) {
  std::lock_guard lock(mutex_);
  const auto it = watchers_.find(user.bare_string());
  if (it == watchers_.end()) return;
  auto& list = it->second;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [watcher](const auto& w) {
                              auto locked = w.lock();
                              return !locked || locked.get() == watcher;
                            }),
             list.end());
  if (list.empty()) watchers_.erase(it);
}

std::vector<std::shared_ptr<api::RoomParticipant>> WatcherTable::of(const model::Address& user) {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<api::RoomParticipant>> live;
  const auto it = watchers_.find(user.bare_string());
  if (it == watchers_.end()) return live;
  for (const auto& w : it->second) {
    if (auto locked = w.lock()) live.push_back(std::move(locked));
  }
  if (live.empty()) watchers_.erase(it);
  return live;
}

}  // namespace parley::core::rooms
