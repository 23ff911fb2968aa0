#pragma once
// RoomDirectory: the rooms and categories, cached in memory (loaded from the store at start).
// A reader-writer lock guards only the maps (held for a lookup, never while a room works):
// lookups on the message path take it shared. Room ids and (case-folded) names are reserved
// while a create or rename commits, so two creators cannot both win.
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/core/rooms/room_state.hpp"
#include "mapping/model/room_model.hpp"

namespace parley::core::rooms {

class RoomDirectory {
 public:
  // Replaces everything (start, reload).
  void install(std::vector<model::Category> categories,
               std::vector<std::shared_ptr<RoomState>> rooms);

  // Published rooms only (not reserved ones).
  std::shared_ptr<RoomState> find(const std::string& id) const;
  std::shared_ptr<const model::Room> snapshot(const std::string& id) const;
  std::vector<std::shared_ptr<RoomState>> all() const;
  std::size_t size() const;

  enum class Reservation { ok, id_taken, name_taken };
  Reservation reserve(const std::string& id, const std::string& name);
  void publish(std::shared_ptr<RoomState> state);               // the reserved room committed
  void cancel(const std::string& id, const std::string& name);  // the reserved room failed
  void set_snapshot(std::shared_ptr<const model::Room> room);
  void remove(const std::string& id);

  // Names of existing rooms change through these (modify_room).
  bool reserve_name(const std::string& name, const std::string& id);  // false: another's
  void release_name(const std::string& name, const std::string& id);  // only if still id's

  std::optional<model::Category> category(const std::string& name) const;
  std::vector<model::Category> categories() const;
  void put_category(model::Category category);
  void remove_category(const std::string& name);

 private:
  struct Entry {
    std::shared_ptr<RoomState> state;  // null while reserved
    std::shared_ptr<const model::Room> snapshot;
  };

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> rooms_;
  std::unordered_map<std::string, std::string> names_;  // folded name -> id
  std::map<std::string, model::Category> categories_;
};

}  // namespace parley::core::rooms
