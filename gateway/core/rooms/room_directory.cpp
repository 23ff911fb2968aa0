#include "gateway/core/rooms/room_directory.hpp"

#include <mutex>
#include <utility>

#include "gateway/core/rooms/room_validation.hpp"

namespace parley::core::rooms {

void RoomDirectory::install(std::vector<model::Category> categories,
                            std::vector<std::shared_ptr<RoomState>> rooms) {
  std::unique_lock lock(mutex_);
  rooms_.clear();
  names_.clear();
  categories_.clear();
  for (auto& category : categories) {
    std::string name = category.name;
    categories_.emplace(std::move(name), std::move(category));
  }
  for (auto& state : rooms) {
    auto snapshot = state->published;
    const std::string id = snapshot->id;
    names_[fold_name(snapshot->name)] = id;
    rooms_[id] = Entry{std::move(state), std::move(snapshot)};
  }
}

std::shared_ptr<RoomState> RoomDirectory::find(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const auto it = rooms_.find(id);
  return it == rooms_.end() ? nullptr : it->second.state;
}

std::shared_ptr<const model::Room> RoomDirectory::snapshot(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const auto it = rooms_.find(id);
  return it == rooms_.end() || !it->second.state ? nullptr : it->second.snapshot;
}

std::vector<std::shared_ptr<RoomState>> RoomDirectory::all() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<RoomState>> states;
  states.reserve(rooms_.size());
  for (const auto& [id, entry] : rooms_) {
    if (entry.state) states.push_back(entry.state);
  }
  return states;
}

std::size_t RoomDirectory::size() const {
  std::shared_lock lock(mutex_);
  return rooms_.size();
}

RoomDirectory::Reservation RoomDirectory::reserve(const std::string& id, const std::string& name) {
  std::unique_lock lock(mutex_);
  if (rooms_.count(id) != 0) return Reservation::id_taken;
  const std::string folded = fold_name(name);
  if (names_.count(folded) != 0) return Reservation::name_taken;
  rooms_.emplace(id, Entry{});
  names_.emplace(folded, id);
  return Reservation::ok;
}

void RoomDirectory::publish(std::shared_ptr<RoomState> state) {
  std::unique_lock lock(mutex_);
  auto snapshot = state->published;
  const std::string id = snapshot->id;  // the assignment's right side runs first (C++17)
  rooms_[id] = Entry{std::move(state), std::move(snapshot)};
}

void RoomDirectory::cancel(const std::string& id, const std::string& name) {
  std::unique_lock lock(mutex_);
  const auto it = rooms_.find(id);
  if (it != rooms_.end() && !it->second.state) rooms_.erase(it);
  const auto named = names_.find(fold_name(name));
  if (named != names_.end() && named->second == id) names_.erase(named);
}

void RoomDirectory::set_snapshot(std::shared_ptr<const model::Room> room) {
  std::unique_lock lock(mutex_);
  const auto it = rooms_.find(room->id);
  if (it != rooms_.end() && it->second.state) it->second.snapshot = std::move(room);
}

void RoomDirectory::remove(const std::string& id) {
  std::unique_lock lock(mutex_);
  const auto it = rooms_.find(id);
  if (it == rooms_.end()) return;
  for (auto named = names_.begin(); named != names_.end();) {
    named = named->second == id ? names_.erase(named) : std::next(named);
  }
  rooms_.erase(it);
}

bool RoomDirectory::reserve_name(const std::string& name, const std::string& id) {
  std::unique_lock lock(mutex_);
  const auto [it, inserted] = names_.try_emplace(fold_name(name), id);
  return inserted || it->second == id;
}

void RoomDirectory::release_name(const std::string& name, const std::string& id) {
  std::unique_lock lock(mutex_);
  const auto it = names_.find(fold_name(name));
  if (it != names_.end() && it->second == id) names_.erase(it);
}

std::optional<model::Category> RoomDirectory::category(const std::string& name) const {
  std::shared_lock lock(mutex_);
  const auto it = categories_.find(name);
  if (it == categories_.end()) return std::nullopt;
  return it->second;
}

std::vector<model::Category> RoomDirectory::categories() const {
  std::shared_lock lock(mutex_);
  std::vector<model::Category> list;
  for (const auto& [name, category] : categories_) list.push_back(category);
  return list;
}

void RoomDirectory::put_category(model::Category category) {
  std::unique_lock lock(mutex_);
  std::string name = category.name;
  categories_[name] = std::move(category);
}

void RoomDirectory::remove_category(const std::string& name) {
  std::unique_lock lock(mutex_);
  categories_.erase(name);
}

}  // namespace parley::core::rooms
