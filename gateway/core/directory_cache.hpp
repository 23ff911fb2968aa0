#pragma once
// The enterprise directory as the core needs it: who shares a department with whom. Members
// of a department see each other as roster items with subscription both and the department as
// group, and exchange presence as if subscribed both ways. Read-mostly: readers take an
// immutable snapshot; reload() swaps in a new one.
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/api/stores.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/roster.hpp"

namespace parley::core {

struct DirectorySnapshot {
  // department name -> its members (bare addresses)
  std::map<std::string, std::vector<model::Address>> members;
  // user -> the departments the user belongs to
  std::unordered_map<model::Address, std::vector<std::string>, model::AddressHash> departments_of;

  bool are_colleagues(const model::Address& a, const model::Address& b) const;
  std::set<model::Address> colleagues_of(const model::Address& user) const;
  // The department names `a` and `b` share (the shared groups of b in a's roster).
  std::vector<std::string> shared_departments(const model::Address& a,
                                              const model::Address& b) const;
  // `item` as `user` sees it: the departments shared with item.jid appended as groups.
  model::RosterItem with_shared_groups(const model::Address& user, model::RosterItem item) const;

  // Reads the whole directory (store thread only).
  static DirectorySnapshot load(api::DirectoryStore& directory);
};

class DirectoryCache {
 public:
  DirectoryCache() : snapshot_(std::make_shared<const DirectorySnapshot>()) {}
  std::shared_ptr<const DirectorySnapshot> snapshot() const;
  void replace(DirectorySnapshot snapshot);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const DirectorySnapshot> snapshot_;
};

}  // namespace parley::core
