#pragma once
// ParticipantIndex: which rooms each participant (session) is in or joining, so leave_all() at
// session end touches only those rooms. Sharded by participant address; a shard's lock is held
// for the map operation only.
#include <array>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/api/rooms.hpp"

namespace parley::core::rooms {

class ParticipantIndex {
 public:
  void add(const api::RoomParticipant* participant, const std::string& room);
  void remove(const api::RoomParticipant* participant, const std::string& room);
  std::vector<std::string> rooms_of(const api::RoomParticipant* participant) const;

 private:
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<const api::RoomParticipant*, std::set<std::string>> rooms;
  };
  Shard& shard(const api::RoomParticipant* participant) const {
    return shards_[std::hash<const void*>{}(participant) % shards_.size()];
  }
  mutable std::array<Shard, 16> shards_;
};

// WatcherTable: sessions that asked for user-level room events (InvitationReceived). Weak
// references: a session that vanished without unwatch() is pruned on the next look-up.
class WatcherTable {
 public:
  explicit WatcherTable(std::size_t max_per_user) : max_per_user_(max_per_user) {}

  void add(const model::Address& user, std::weak_ptr<api::RoomParticipant> watcher);
  void remove(const model::Address& user, const api::RoomParticipant* watcher);
  std::vector<std::shared_ptr<api::RoomParticipant>> of(const model::Address& user);

 private:
  const std::size_t max_per_user_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<api::RoomParticipant>>> watchers_;
};

}  // namespace parley::core::rooms
