#include "gateway/core/rooms/occupant_table.hpp"

#include <algorithm>
#include <utility>

namespace parley::core::rooms {

bool OccupantTable::nickname_taken_by_other(const std::string& nickname,
                                            const model::Address& user) const {
  const auto it = by_nickname_.find(nickname);
  return it != by_nickname_.end() && it->second.occupant.user != user.bare();
}

const OccupantEntry* OccupantTable::find_nickname(const std::string& nickname) const {
  const auto it = by_nickname_.find(nickname);
  return it == by_nickname_.end() ? nullptr : &it->second;
}

const OccupantEntry* OccupantTable::find_session(const api::RoomParticipant* session) const {
  const auto it = by_session_.find(session);
  return it == by_session_.end() ? nullptr : find_nickname(it->second);
}

std::optional<AddOutcome> OccupantTable::add(const api::Occupant& occupant,
                                             std::shared_ptr<api::RoomParticipant> session) {
  if (!session || nickname_taken_by_other(occupant.nickname, occupant.user)) return std::nullopt;
  if (const auto it = by_session_.find(session.get()); it != by_session_.end()) {
    // One session holds one nickname per room; a second nickname is a nickname change,
    // which the caller handles before coming here.
    if (it->second != occupant.nickname) return std::nullopt;
    return AddOutcome::already_present;
  }
  auto [it, inserted] = by_nickname_.try_emplace(occupant.nickname);
  if (inserted) {
    it->second.occupant = occupant;
    it->second.occupant.user = occupant.user.bare();
  }
  by_session_.emplace(session.get(), occupant.nickname);
  it->second.sessions.push_back(std::move(session));
  return inserted ? AddOutcome::new_occupant : AddOutcome::added_session;
}

std::optional<api::Occupant> OccupantTable::remove_session(const api::RoomParticipant* session) {
  const auto found = by_session_.find(session);
  if (found == by_session_.end()) return std::nullopt;
  const std::string nickname = found->second;
  by_session_.erase(found);
  auto it = by_nickname_.find(nickname);
  if (it == by_nickname_.end()) return std::nullopt;
  auto& sessions = it->second.sessions;
  sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                [session](const auto& s) { return s.get() == session; }),
                 sessions.end());
  if (!sessions.empty()) return std::nullopt;
  api::Occupant occupant = std::move(it->second.occupant);
  by_nickname_.erase(it);
  return occupant;
}

std::optional<OccupantEntry> OccupantTable::remove_nickname(const std::string& nickname) {
  auto it = by_nickname_.find(nickname);
  if (it == by_nickname_.end()) return std::nullopt;
  OccupantEntry entry = std::move(it->second);
  by_nickname_.erase(it);
  for (const auto& session : entry.sessions) by_session_.erase(session.get());
  return entry;
}

std::vector<OccupantEntry> OccupantTable::remove_user(const model::Address& user) {
  std::vector<std::string> nicknames;
  for (const auto& [nickname, entry] : by_nickname_) {
    if (entry.occupant.user == user.bare()) nicknames.push_back(nickname);
  }
  std::vector<OccupantEntry> removed;
  for (const auto& nickname : nicknames) {
    if (auto entry = remove_nickname(nickname)) removed.push_back(std::move(*entry));
  }
  return removed;
}

std::vector<std::string> OccupantTable::set_role(const model::Address& user, model::RoomRole role) {
  std::vector<std::string> nicknames;
  for (auto& [nickname, entry] : by_nickname_) {
    if (entry.occupant.user != user.bare()) continue;
    entry.occupant.role = role;
    nicknames.push_back(nickname);
  }
  return nicknames;
}

std::vector<api::Occupant> OccupantTable::occupants() const {
  std::vector<api::Occupant> list;
  list.reserve(by_nickname_.size());
  for (const auto& [nickname, entry] : by_nickname_) list.push_back(entry.occupant);
  return list;
}

std::vector<OccupantEntry> OccupantTable::entries() const {
  std::vector<OccupantEntry> list;
  list.reserve(by_nickname_.size());
  for (const auto& [nickname, entry] : by_nickname_) list.push_back(entry);
  return list;
}

}  // namespace parley::core::rooms
