#include "tests/fakes/memory_stores.hpp"

#include <algorithm>
#include <exception>

namespace parley::fakes {

// ---- accounts ----
bool MemoryAccountStore::create(const model::Address& bare, const api::Credentials& c) {
  return accounts_.emplace(bare, c).second;
}
bool MemoryAccountStore::remove(const model::Address& bare) {
  return accounts_.erase(bare) > 0;
}
bool MemoryAccountStore::exists(const model::Address& bare) {
  return accounts_.contains(bare);
}
std::optional<api::Credentials> MemoryAccountStore::credentials(const model::Address& bare) {
  auto it = accounts_.find(bare);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}
bool MemoryAccountStore::set_credentials(const model::Address& bare, const api::Credentials& c) {
  auto it = accounts_.find(bare);
  if (it == accounts_.end()) return false;
  it->second = c;
  return true;
}
std::vector<model::Address> MemoryAccountStore::list() {
  std::vector<model::Address> result;
  for (const auto& [bare, credentials] : accounts_) result.push_back(bare);
  return result;
}

// ---- rosters ----
std::vector<model::RosterItem> MemoryRosterStore::items(const model::Address& user) {
  std::vector<model::RosterItem> result;
  auto it = rosters_.find(user);
  if (it == rosters_.end()) return result;
  for (const auto& [jid, item] : it->second.items) result.push_back(item);
  return result;
}
std::optional<model::RosterItem> MemoryRosterStore::item(const model::Address& user,
                                                         const model::Address& contact) {
  auto it = rosters_.find(user);
  if (it == rosters_.end()) return std::nullopt;
  auto item = it->second.items.find(contact);
  if (item == it->second.items.end()) return std::nullopt;
  return item->second;
}
std::uint64_t MemoryRosterStore::version(const model::Address& user) {
  auto it = rosters_.find(user);
  return it == rosters_.end() ? 0 : it->second.version;
}
std::uint64_t MemoryRosterStore::put(const model::Address& user, const model::RosterItem& item) {
  Roster& roster = rosters_[user];
  roster.items[item.jid] = item;
  return ++roster.version;
}
std::optional<std::uint64_t> MemoryRosterStore::remove(const model::Address& user,
                                                       const model::Address& contact) {
  auto it = rosters_.find(user);
  if (it == rosters_.end() || it->second.items.erase(contact) == 0) return std::nullopt;
  return ++it->second.version;
}

// ---- offline ----
void MemoryOfflineStore::store(const model::Message& message) {
  messages_[message.to.bare()].push_back(message);
}
std::vector<model::Message> MemoryOfflineStore::take(const model::Address& user,
                                                     std::size_t limit) {
  std::vector<model::Message> result;
  auto it = messages_.find(user);
  if (it == messages_.end()) return result;
  while (!it->second.empty() && result.size() < limit) {
    result.push_back(std::move(it->second.front()));
    it->second.pop_front();
  }
  return result;
}
std::size_t MemoryOfflineStore::count(const model::Address& user) {
  auto it = messages_.find(user);
  return it == messages_.end() ? 0 : it->second.size();
}

// ---- vcards / private ----
std::optional<std::string> MemoryVCardStore::get(const model::Address& user) {
  auto it = vcards_.find(user);
  if (it == vcards_.end()) return std::nullopt;
  return it->second;
}
void MemoryVCardStore::set(const model::Address& user, const std::string& vcard) {
  vcards_[user] = vcard;
}
std::optional<std::string> MemoryPrivateStore::get(const model::Address& user,
                                                   const std::string& key) {
  auto it = items_.find({user, key});
  if (it == items_.end()) return std::nullopt;
  return it->second;
}
void MemoryPrivateStore::set(const model::Address& user, const std::string& key,
                             const std::string& xml) {
  items_[{user, key}] = xml;
}

// ---- blocks ----
std::vector<model::Address> MemoryBlockStore::list(const model::Address& user) {
  auto it = lists_.find(user);
  if (it == lists_.end()) return {};
  return {it->second.begin(), it->second.end()};
}
void MemoryBlockStore::add(const model::Address& user, const std::vector<model::Address>& items) {
  lists_[user].insert(items.begin(), items.end());
}
void MemoryBlockStore::remove(const model::Address& user,
                              const std::vector<model::Address>& items) {
  auto it = lists_.find(user);
  if (it == lists_.end()) return;
  for (const auto& item : items) it->second.erase(item);
}
void MemoryBlockStore::clear(const model::Address& user) {
  lists_.erase(user);
}

// ---- directory ----
bool MemoryDirectoryStore::create_department(const api::Department& department) {
  if (!department.parent.empty() && !departments_.contains(department.parent)) return false;
  return departments_.emplace(department.name, department).second;
}
bool MemoryDirectoryStore::remove_department(const std::string& name) {
  members_.erase(name);
  return departments_.erase(name) > 0;
}
std::optional<api::Department> MemoryDirectoryStore::department(const std::string& name) {
  auto it = departments_.find(name);
  if (it == departments_.end()) return std::nullopt;
  return it->second;
}
std::vector<api::Department> MemoryDirectoryStore::departments() {
  std::vector<api::Department> result;
  for (const auto& [name, department] : departments_) result.push_back(department);
  return result;
}
bool MemoryDirectoryStore::add_member(const std::string& department,
                                      const api::DepartmentMember& member) {
  if (!departments_.contains(department)) return false;
  auto& list = members_[department];
  auto it =
      std::find_if(list.begin(), list.end(), [&](const auto& m) { return m.user == member.user; });
  if (it != list.end()) {
    *it = member;
    return true;
  }
  list.push_back(member);
  return true;
}
bool MemoryDirectoryStore::remove_member(const std::string& department,
                                         const model::Address& user) {
  auto& list = members_[department];
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& m) { return m.user == user; });
  if (it == list.end()) return false;
  list.erase(it);
  return true;
}
std::vector<api::DepartmentMember> MemoryDirectoryStore::members(const std::string& department) {
  auto it = members_.find(department);
  if (it == members_.end()) return {};
  return it->second;
}
std::vector<std::string> MemoryDirectoryStore::departments_of(const model::Address& user) {
  std::vector<std::string> result;
  for (const auto& [name, list] : members_)
    if (std::any_of(list.begin(), list.end(), [&](const auto& m) { return m.user == user; }))
      result.push_back(name);
  return result;
}

// ---- executors ----
namespace {

void run_job(api::StoreJob& job, api::Stores stores, bool& ok, std::string& error) {
  try {
    if (job.work) job.work(stores);
    ok = true;
  } catch (const std::exception& e) {
    ok = false;
    error = e.what();
  } catch (...) {
    ok = false;
    error = "unknown exception";
  }
}

}  // namespace

void InlineStoreExecutor::submit(api::StoreJob job) {
  std::lock_guard lock(mutex_);
  bool ok = false;
  std::string error;
  run_job(job, stores_.stores(), ok, error);
  if (job.done) job.done(ok, error);
}

ThreadedStoreExecutor::ThreadedStoreExecutor(MemoryStores& stores)
    : stores_(stores), thread_([this] { run(); }) {}

ThreadedStoreExecutor::~ThreadedStoreExecutor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ThreadedStoreExecutor::submit(api::StoreJob job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

bool ThreadedStoreExecutor::drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [&] { return queue_.empty() && !busy_; });
}

void ThreadedStoreExecutor::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and nothing left
    std::deque<api::StoreJob> batch;
    batch.swap(queue_);
    busy_ = true;
    lock.unlock();
    // Group commit: every work first, then every done, both in submission order.
    std::vector<std::pair<bool, std::string>> results(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i)
      run_job(batch[i], stores_.stores(), results[i].first, results[i].second);
    for (std::size_t i = 0; i < batch.size(); ++i)
      if (batch[i].done) batch[i].done(results[i].first, results[i].second);
    batch.clear();  // release captured state outside the lock
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

// ---- endpoint ----
void RecordingEndpoint::deliver(api::Delivery delivery) {
  {
    std::lock_guard lock(mutex_);
    deliveries_.push_back(std::move(delivery));
  }
  changed_.notify_all();
}

std::vector<api::Delivery> RecordingEndpoint::deliveries() const {
  std::lock_guard lock(mutex_);
  return deliveries_;
}

void RecordingEndpoint::clear() {
  std::lock_guard lock(mutex_);
  deliveries_.clear();
}

std::vector<model::Message> RecordingEndpoint::messages() const {
  std::vector<model::Message> result;
  for (const auto& d : of<api::MessageDelivery>())
    if (d.copy == api::CopyKind::none) result.push_back(*d.message);
  return result;
}

std::vector<api::MessageDelivery> RecordingEndpoint::carbons() const {
  std::vector<api::MessageDelivery> result;
  for (const auto& d : of<api::MessageDelivery>())
    if (d.copy != api::CopyKind::none) result.push_back(d);
  return result;
}

std::vector<model::Presence> RecordingEndpoint::presences() const {
  std::vector<model::Presence> result;
  for (const auto& d : of<api::PresenceDelivery>()) result.push_back(*d.presence);
  return result;
}

}  // namespace parley::fakes
