#include "gateway/core/directory_cache.hpp"

#include <algorithm>

namespace parley::core {

bool DirectorySnapshot::are_colleagues(const model::Address& a, const model::Address& b) const {
  return a != b && !shared_departments(a, b).empty();
}

std::set<model::Address> DirectorySnapshot::colleagues_of(const model::Address& user) const {
  std::set<model::Address> result;
  auto it = departments_of.find(user);
  if (it == departments_of.end()) return result;
  for (const auto& name : it->second) {
    auto members_it = members.find(name);
    if (members_it == members.end()) continue;
    for (const auto& member : members_it->second)
      if (member != user) result.insert(member);
  }
  return result;
}

std::vector<std::string> DirectorySnapshot::shared_departments(const model::Address& a,
                                                               const model::Address& b) const {
  std::vector<std::string> shared;
  auto ia = departments_of.find(a);
  auto ib = departments_of.find(b);
  if (ia == departments_of.end() || ib == departments_of.end() || a == b) return shared;
  for (const auto& name : ia->second)
    if (std::find(ib->second.begin(), ib->second.end(), name) != ib->second.end())
      shared.push_back(name);
  return shared;
}

model::RosterItem DirectorySnapshot::with_shared_groups(const model::Address& user,
                                                        model::RosterItem item) const {
  for (auto& name : shared_departments(user, item.jid))
    if (std::find(item.groups.begin(), item.groups.end(), name) == item.groups.end())
      item.groups.push_back(std::move(name));
  return item;
}

DirectorySnapshot DirectorySnapshot::load(api::DirectoryStore& directory) {
  DirectorySnapshot snapshot;
  for (const auto& department : directory.departments()) {
    auto& list = snapshot.members[department.name];
    for (const auto& member : directory.members(department.name)) {
      const model::Address bare = member.user.bare();
      list.push_back(bare);
      snapshot.departments_of[bare].push_back(department.name);
    }
  }
  return snapshot;
}

std::shared_ptr<const DirectorySnapshot> DirectoryCache::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

void DirectoryCache::replace(DirectorySnapshot snapshot) {
  auto next = std::make_shared<const DirectorySnapshot>(std::move(snapshot));
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
}

}  // namespace parley::core
