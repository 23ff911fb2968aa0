#pragma once
// Store interfaces: model types in and out, no SQL. Implementations are blocking; they are only
// ever called on the store thread (see store_executor.hpp), so they need no locking of their own.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mapping/model/address.hpp"
#include "mapping/model/message.hpp"
#include "mapping/model/roster.hpp"

namespace parley::api {

// RFC 5802 §3: what the server keeps instead of the password. Keys are raw bytes.
struct ScramCredential {
  std::string salt;
  std::uint32_t iterations = 0;
  std::string stored_key;
  std::string server_key;
  friend bool operator==(const ScramCredential&, const ScramCredential&) = default;
};

// RFC 3261 §22.4 and RFC 8760: what the SIP registrar keeps for digest authentication.
// HA1 = H(username ":" realm ":" password) with username = the account's local part, as
// lower-case hex, for MD5 and SHA-256. Empty realm: no digest credential (the password was set
// before SIP existed, or without a realm); SIP login then fails until the password is set again.
struct DigestCredential {
  std::string realm;
  std::string ha1_md5;
  std::string ha1_sha256;
  friend bool operator==(const DigestCredential&, const DigestCredential&) = default;
};

struct Credentials {
  ScramCredential sha1;
  ScramCredential sha256;
  DigestCredential sip;
  friend bool operator==(const Credentials&, const Credentials&) = default;
};

// Accounts are keyed by their bare address.
class AccountStore {
 public:
  virtual ~AccountStore() = default;
  virtual bool create(const model::Address& bare,
                      const Credentials& credentials) = 0;  // false: exists
  virtual bool remove(const model::Address& bare) = 0;      // false: unknown; removes all its data
  virtual bool exists(const model::Address& bare) = 0;
  virtual std::optional<Credentials> credentials(const model::Address& bare) = 0;
  virtual bool set_credentials(const model::Address& bare, const Credentials& credentials) = 0;
  virtual std::vector<model::Address> list() = 0;  // sorted
};

class RosterStore {
 public:
  virtual ~RosterStore() = default;
  virtual std::vector<model::RosterItem> items(const model::Address& user) = 0;
  virtual std::optional<model::RosterItem> item(const model::Address& user,
                                                const model::Address& contact) = 0;
  virtual std::uint64_t version(const model::Address& user) = 0;  // 0 for an empty roster
  // Insert or replace; returns the new roster version (strictly increasing per user).
  virtual std::uint64_t put(const model::Address& user, const model::RosterItem& item) = 0;
  // Returns the new version, or nullopt if there was no such item.
  virtual std::optional<std::uint64_t> remove(const model::Address& user,
                                              const model::Address& contact) = 0;
};

class OfflineStore {
 public:
  virtual ~OfflineStore() = default;
  virtual void store(const model::Message& message) = 0;  // keyed by message.to.bare()
  // Oldest first, at most `limit`; the returned messages are deleted in the same transaction.
  virtual std::vector<model::Message> take(const model::Address& user, std::size_t limit) = 0;
  virtual std::size_t count(const model::Address& user) = 0;
};

class VCardStore {  // XEP-0054: the vCard is kept as the adapter's serialized blob
 public:
  virtual ~VCardStore() = default;
  virtual std::optional<std::string> get(const model::Address& user) = 0;
  virtual void set(const model::Address& user, const std::string& vcard) = 0;
};

class PrivateStore {  // XEP-0049: key is "element-name namespace"
 public:
  virtual ~PrivateStore() = default;
  virtual std::optional<std::string> get(const model::Address& user, const std::string& key) = 0;
  virtual void set(const model::Address& user, const std::string& key, const std::string& xml) = 0;
};

class BlockStore {  // XEP-0191 block list, per user
 public:
  virtual ~BlockStore() = default;
  virtual std::vector<model::Address> list(const model::Address& user) = 0;
  virtual void add(const model::Address& user, const std::vector<model::Address>& items) = 0;
  virtual void remove(const model::Address& user, const std::vector<model::Address>& items) = 0;
  virtual void clear(const model::Address& user) = 0;
};

// The enterprise directory of seed 001: departments with members and department admins.
struct Department {
  std::string name;  // unique
  std::string description;
  std::string parent;  // empty for a top-level department
  friend bool operator==(const Department&, const Department&) = default;
};
struct DepartmentMember {
  model::Address user;
  bool admin = false;
  friend bool operator==(const DepartmentMember&, const DepartmentMember&) = default;
};

class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;
  virtual bool create_department(const Department& department) = 0;  // false: exists / bad parent
  virtual bool remove_department(const std::string& name) = 0;       // false: unknown
  virtual std::optional<Department> department(const std::string& name) = 0;
  virtual std::vector<Department> departments() = 0;
  virtual bool add_member(const std::string& department, const DepartmentMember& member) = 0;
  virtual bool remove_member(const std::string& department, const model::Address& user) = 0;
  virtual std::vector<DepartmentMember> members(const std::string& department) = 0;
  virtual std::vector<std::string> departments_of(const model::Address& user) = 0;
};

// Everything the store thread offers, handed to each job.
struct Stores {
  AccountStore& accounts;
  RosterStore& rosters;
  OfflineStore& offline;
  VCardStore& vcards;
  PrivateStore& private_xml;
  BlockStore& blocks;
  DirectoryStore& directory;
};

}  // namespace parley::api
