#pragma once
// In-memory stores and an inline store executor for the feature tests: a job's work and its
// `done` run inside submit(), like one committed transaction per job.
#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "gateway/api/store_executor.hpp"
#include "gateway/api/stores.hpp"

namespace parley::xmpp::test {

class MemoryAccountStore : public api::AccountStore {
 public:
  std::map<model::Address, api::Credentials> accounts;
  bool create(const model::Address& bare, const api::Credentials& credentials) override {
    return accounts.emplace(bare, credentials).second;
  }
  bool remove(const model::Address& bare) override { return accounts.erase(bare) != 0; }
  bool exists(const model::Address& bare) override { return accounts.count(bare) != 0; }
  std::optional<api::Credentials> credentials(const model::Address& bare) override {
    auto it = accounts.find(bare);
    if (it == accounts.end()) return std::nullopt;
    return it->second;
  }
  bool set_credentials(const model::Address& bare, const api::Credentials& credentials) override {
    auto it = accounts.find(bare);
    if (it == accounts.end()) return false;
    it->second = credentials;
    return true;
  }
  std::vector<model::Address> list() override {
    std::vector<model::Address> out;
    for (const auto& [address, credentials] : accounts) out.push_back(address);
    return out;
  }
};

class MemoryVCardStore : public api::VCardStore {
 public:
  std::map<model::Address, std::string> vcards;
  std::optional<std::string> get(const model::Address& user) override {
    auto it = vcards.find(user);
    if (it == vcards.end()) return std::nullopt;
    return it->second;
  }
  void set(const model::Address& user, const std::string& vcard) override { vcards[user] = vcard; }
};

class MemoryPrivateStore : public api::PrivateStore {
 public:
  std::map<std::pair<model::Address, std::string>, std::string> data;
  std::optional<std::string> get(const model::Address& user, const std::string& key) override {
    auto it = data.find({user, key});
    if (it == data.end()) return std::nullopt;
    return it->second;
  }
  void set(const model::Address& user, const std::string& key, const std::string& xml) override {
    data[{user, key}] = xml;
  }
};

// Stores the features never use directly: present so api::Stores can be built.
class UnusedRosterStore : public api::RosterStore {
 public:
  std::vector<model::RosterItem> items(const model::Address&) override { return {}; }
  std::optional<model::RosterItem> item(const model::Address&, const model::Address&) override {
    return std::nullopt;
  }
  std::uint64_t version(const model::Address&) override { return 0; }
  std::uint64_t put(const model::Address&, const model::RosterItem&) override { return 0; }
  std::optional<std::uint64_t> remove(const model::Address&, const model::Address&) override {
    return std::nullopt;
  }
};
class UnusedOfflineStore : public api::OfflineStore {
 public:
  void store(const model::Message&) override {}
  std::vector<model::Message> take(const model::Address&, std::size_t) override { return {}; }
  std::size_t count(const model::Address&) override { return 0; }
};
class UnusedBlockStore : public api::BlockStore {
 public:
  std::vector<model::Address> list(const model::Address&) override { return {}; }
  void add(const model::Address&, const std::vector<model::Address>&) override {}
  void remove(const model::Address&, const std::vector<model::Address>&) override {}
  void clear(const model::Address&) override {}
};
class UnusedDirectoryStore : public api::DirectoryStore {
 public:
  bool create_department(const api::Department&) override { return false; }
  bool remove_department(const std::string&) override { return false; }
  std::optional<api::Department> department(const std::string&) override { return std::nullopt; }
  std::vector<api::Department> departments() override { return {}; }
  bool add_member(const std::string&, const api::DepartmentMember&) override { return false; }
  bool remove_member(const std::string&, const model::Address&) override { return false; }
  std::vector<api::DepartmentMember> members(const std::string&) override { return {}; }
  std::vector<std::string> departments_of(const model::Address&) override { return {}; }
};

class InlineStoreExecutor : public api::StoreExecutor {
 public:
  MemoryAccountStore accounts;
  MemoryVCardStore vcards;
  MemoryPrivateStore private_xml;
  UnusedRosterStore rosters;
  UnusedOfflineStore offline;
  UnusedBlockStore blocks;
  UnusedDirectoryStore directory;
  api::Stores stores{accounts, rosters, offline, vcards, private_xml, blocks, directory};

  bool fail_next = false;  // the next job's transaction fails to commit
  int jobs = 0;

  void submit(api::StoreJob job) override {
    ++jobs;
    if (fail_next) {
      fail_next = false;
      if (job.done) job.done(false, "injected failure");
      return;
    }
    try {
      job.work(stores);
    } catch (const std::exception& e) {
      if (job.done) job.done(false, e.what());
      return;
    }
    if (job.done) job.done(true, {});
  }
};

}  // namespace parley::xmpp::test
