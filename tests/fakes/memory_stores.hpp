#pragma once
// In-memory fakes of every store interface, two StoreExecutors and a RecordingEndpoint, for
// unit tests of the core (and of anything else that talks to api::Core or the stores).
//
// The stores are not locked: like the real ones they are only touched from the store thread
// (the executor) -- or from a test thread once ThreadedStoreExecutor::drain() returned.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "gateway/api/endpoint.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/api/stores.hpp"

namespace parley::fakes {

class MemoryAccountStore final : public api::AccountStore {
 public:
  bool create(const model::Address& bare, const api::Credentials& credentials) override;
  bool remove(const model::Address& bare) override;
  bool exists(const model::Address& bare) override;
  std::optional<api::Credentials> credentials(const model::Address& bare) override;
  bool set_credentials(const model::Address& bare, const api::Credentials& credentials) override;
  std::vector<model::Address> list() override;

 private:
  std::map<model::Address, api::Credentials> accounts_;
};

class MemoryRosterStore final : public api::RosterStore {
 public:
  std::vector<model::RosterItem> items(const model::Address& user) override;
  std::optional<model::RosterItem> item(const model::Address& user,
                                        const model::Address& contact) override;
  std::uint64_t version(const model::Address& user) override;
  std::uint64_t put(const model::Address& user, const model::RosterItem& item) override;
  std::optional<std::uint64_t> remove(const model::Address& user,
                                      const model::Address& contact) override;

 private:
  struct Roster {
    std::map<model::Address, model::RosterItem> items;
    std::uint64_t version = 0;
  };
  std::map<model::Address, Roster> rosters_;
};

class MemoryOfflineStore final : public api::OfflineStore {
 public:
  void store(const model::Message& message) override;
  std::vector<model::Message> take(const model::Address& user, std::size_t limit) override;
  std::size_t count(const model::Address& user) override;

 private:
  std::map<model::Address, std::deque<model::Message>> messages_;
};

class MemoryVCardStore final : public api::VCardStore {
 public:
  std::optional<std::string> get(const model::Address& user) override;
  void set(const model::Address& user, const std::string& vcard) override;

 private:
  std::map<model::Address, std::string> vcards_;
};

class MemoryPrivateStore final : public api::PrivateStore {
 public:
  std::optional<std::string> get(const model::Address& user, const std::string& key) override;
  void set(const model::Address& user, const std::string& key, const std::string& xml) override;

 private:
  std::map<std::pair<model::Address, std::string>, std::string> items_;
};

class MemoryBlockStore final : public api::BlockStore {
 public:
  std::vector<model::Address> list(const model::Address& user) override;
  void add(const model::Address& user, const std::vector<model::Address>& items) override;
  void remove(const model::Address& user, const std::vector<model::Address>& items) override;
  void clear(const model::Address& user) override;

 private:
  std::map<model::Address, std::set<model::Address>> lists_;
};

class MemoryDirectoryStore final : public api::DirectoryStore {
 public:
  bool create_department(const api::Department& department) override;
  bool remove_department(const std::string& name) override;
  std::optional<api::Department> department(const std::string& name) override;
  std::vector<api::Department> departments() override;
  bool add_member(const std::string& department, const api::DepartmentMember& member) override;
  bool remove_member(const std::string& department, const model::Address& user) override;
  std::vector<api::DepartmentMember> members(const std::string& department) override;
  std::vector<std::string> departments_of(const model::Address& user) override;

 private:
  std::map<std::string, api::Department> departments_;
  std::map<std::string, std::vector<api::DepartmentMember>> members_;
};

// Every store, and the api::Stores view of them.
struct MemoryStores {
  MemoryAccountStore accounts;
  MemoryRosterStore rosters;
  MemoryOfflineStore offline;
  MemoryVCardStore vcards;
  MemoryPrivateStore private_xml;
  MemoryBlockStore blocks;
  MemoryDirectoryStore directory;

  api::Stores stores() {
    return api::Stores{accounts, rosters, offline, vcards, private_xml, blocks, directory};
  }
};

// Runs each job synchronously inside submit(): work, then done. Deterministic; jobs that a
// `done` submits run nested, before that `done` returns.
class InlineStoreExecutor final : public api::StoreExecutor {
 public:
  explicit InlineStoreExecutor(MemoryStores& stores) : stores_(stores) {}
  void submit(api::StoreJob job) override;

 private:
  std::recursive_mutex mutex_;  // callers on several threads still get one store thread
  MemoryStores& stores_;
};

// Mimics the real executor: one background thread drains whatever is queued as a batch,
// runs every job's work, then every job's done, in submission order.
class ThreadedStoreExecutor final : public api::StoreExecutor {
 public:
  explicit ThreadedStoreExecutor(MemoryStores& stores);
  ~ThreadedStoreExecutor() override;  // finishes queued jobs, then stops
  void submit(api::StoreJob job) override;
  // Waits until no job is queued or running (including jobs submitted by `done`s).
  bool drain(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  void run();

  MemoryStores& stores_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<api::StoreJob> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

// Records every delivery; tests wait for N deliveries of a kind with a bounded timeout.
class RecordingEndpoint final : public api::Endpoint {
 public:
  void deliver(api::Delivery delivery) override;

  std::vector<api::Delivery> deliveries() const;
  void clear();

  template <class T>
  std::vector<T> of() const {
    std::lock_guard lock(mutex_);
    std::vector<T> result;
    for (const auto& d : deliveries_)
      if (const T* item = std::get_if<T>(&d)) result.push_back(*item);
    return result;
  }
  template <class T>
  std::size_t count() const {
    return of<T>().size();
  }
  // True once at least n deliveries of kind T arrived (false after the timeout).
  template <class T>
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      std::size_t seen = 0;
      for (const auto& d : deliveries_) seen += std::holds_alternative<T>(d) ? 1 : 0;
      return seen >= n;
    });
  }

  std::vector<model::Message> messages() const;       // MessageDelivery with copy == none
  std::vector<api::MessageDelivery> carbons() const;  // copy != none
  std::vector<model::Presence> presences() const;
  std::vector<api::RosterPush> roster_pushes() const { return of<api::RosterPush>(); }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<api::Delivery> deliveries_;
};

}  // namespace parley::fakes
