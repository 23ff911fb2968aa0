#pragma once
// OccupantTable: who is present in one room, by nickname, with every session behind each
// nickname (XEP-0045 §7.2.10: several sessions of one user may share a nickname and appear
// as one occupant). Nicknames are unique per room across users (§7.2.9 conflict). Plain data:
// the room's serial queue is its only user, so it has no lock.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/api/rooms.hpp"

namespace parley::core::rooms {

struct OccupantEntry {
  api::Occupant occupant;
  std::vector<std::shared_ptr<api::RoomParticipant>> sessions;  // in join order
};

enum class AddOutcome {
  new_occupant,     // first session of this nickname: announce ParticipantJoined
  added_session,    // another session of the same user and nickname: nothing to announce
  already_present,  // this session is already here under this nickname
};

class OccupantTable {
 public:
  // The nickname is held by a different user (bare addresses compared).
  bool nickname_taken_by_other(const std::string& nickname, const model::Address& user) const;
  const OccupantEntry* find_nickname(const std::string& nickname) const;
  const OccupantEntry* find_session(const api::RoomParticipant* session) const;

  // Callers check nickname_taken_by_other first; a conflicting add is refused with nullopt.
  std::optional<AddOutcome> add(const api::Occupant& occupant,
                                std::shared_ptr<api::RoomParticipant> session);
  // Removes one session; returns the occupant when that was its last session (announce Left).
  std::optional<api::Occupant> remove_session(const api::RoomParticipant* session);
  // Removes a nickname with all its sessions.
  std::optional<OccupantEntry> remove_nickname(const std::string& nickname);
  // Removes every nickname of a user.
  std::vector<OccupantEntry> remove_user(const model::Address& user);
  // Updates the role shown for a user's occupants; returns their nicknames.
  std::vector<std::string> set_role(const model::Address& user, model::RoomRole role);

  std::vector<api::Occupant> occupants() const;  // sorted by nickname
  std::vector<OccupantEntry> entries() const;
  std::size_t occupant_count() const { return by_nickname_.size(); }
  std::size_t session_count() const { return by_session_.size(); }
  bool empty() const { return by_nickname_.empty(); }

  // Calls f(participant) for every session of every occupant.
  template <class F>
  void for_each_session(F&& f) const {
    for (const auto& [nickname, entry] : by_nickname_) {
      for (const auto& session : entry.sessions) f(*session);
    }
  }

 private:
  std::map<std::string, OccupantEntry> by_nickname_;
  std::unordered_map<const api::RoomParticipant*, std::string> by_session_;
};

}  // namespace parley::core::rooms
