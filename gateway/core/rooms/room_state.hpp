#pragma once
// RoomState: everything the service keeps in memory about one room. All fields below `queue`
// are touched only by tasks running on that room's SerialQueue (no lock), so rooms proceed in
// parallel and a room's events keep one order.
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/api/rooms.hpp"
#include "gateway/core/rooms/occupant_table.hpp"
#include "gateway/core/rooms/serial_queue.hpp"
#include "mapping/model/room_model.hpp"

namespace parley::core::rooms {

struct PendingJoin {
  std::uint64_t token = 0;
  std::shared_ptr<api::RoomParticipant> participant;
  model::Address user;  // bare
  std::string nickname;
  bool cancelled = false;       // left (or was removed) before the history arrived
  api::RequestSource source{};  // endpoint filled in (the full address when not given)
  bool recorded = false;        // its room.join event was written (a failure writes a leave)
};

struct RoomState {
  RoomState(model::Room initial, std::shared_ptr<SerialQueue> serial)
      : queue(std::move(serial)),
        room(initial),
        published(std::make_shared<const model::Room>(std::move(initial))) {}

  const std::shared_ptr<SerialQueue> queue;

  // ---- confined to `queue` ----
  model::Room room;                                 // the latest settings submitted to the store
  std::shared_ptr<const model::Room> published;     // the latest committed settings
  std::map<model::Address, model::RoomRole> roles;  // explicit roles (bare users)
  std::set<model::Address> bans;
  OccupantTable occupants;
  std::vector<PendingJoin> pending_joins;
  std::uint64_t next_join_token = 1;
  std::int64_t last_seq = 0;      // newest message id assigned in this room
  std::size_t pending_posts = 0;  // submitted, not yet committed
  bool deleted = false;           // a delete is committing or committed: refuse new work
  // Where each present session came from, kept only while room.leave events are recorded.
  std::unordered_map<const api::RoomParticipant*, api::RequestSource> sources;

  model::RoomRole role_of(const model::Address& user) const {
    const auto it = roles.find(user.bare());
    return it == roles.end() ? model::RoomRole::none : it->second;
  }
  bool banned(const model::Address& user) const { return bans.count(user.bare()) != 0; }
  std::size_t manager_count() const {
    std::size_t n = 0;
    for (const auto& [user, role] : roles) n += role == model::RoomRole::manager ? 1 : 0;
    return n;
  }
  PendingJoin* pending_join(std::uint64_t token) {
    for (auto& join : pending_joins) {
      if (join.token == token) return &join;
    }
    return nullptr;
  }
  // A nickname is reserved by a pending join of another user.
  bool nickname_pending_for_other(const std::string& nickname, const model::Address& user) const {
    for (const auto& join : pending_joins) {
      if (!join.cancelled && join.nickname == nickname && join.user != user.bare()) return true;
    }
    return false;
  }
  bool has_participant(const api::RoomParticipant* participant) const {
    if (occupants.find_session(participant) != nullptr) return true;
    for (const auto& join : pending_joins) {
      if (!join.cancelled && join.participant.get() == participant) return true;
    }
    return false;
  }
};

}  // namespace parley::core::rooms
