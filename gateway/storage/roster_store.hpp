#pragma once
// RosterStore on SQLite (RFC 6121 §2): items with their groups, and a per-user version
// (XEP-0237) bumped in the same transaction as every change.
#include <cstdint>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "gateway/api/stores.hpp"

namespace parley::storage {

class SqliteRosterStore final : public api::RosterStore {
 public:
  explicit SqliteRosterStore(SQLite::Database& db);

  // Sorted by contact address string.
  std::vector<model::RosterItem> items(const model::Address& user) override;
  std::optional<model::RosterItem> item(const model::Address& user,
                                        const model::Address& contact) override;
  std::uint64_t version(const model::Address& user) override;
  // The user must be an account (FOREIGN KEY error otherwise). Duplicate group names are kept
  // once, in first-seen order.
  std::uint64_t put(const model::Address& user, const model::RosterItem& item) override;
  std::optional<std::uint64_t> remove(const model::Address& user,
                                      const model::Address& contact) override;

 private:
  std::uint64_t bump_version(const std::string& user);

  SQLite::Database& db_;
  SQLite::Statement select_items_;
  SQLite::Statement select_groups_;
  SQLite::Statement select_item_;
  SQLite::Statement select_item_groups_;
  SQLite::Statement select_version_;
  SQLite::Statement upsert_item_;
  SQLite::Statement delete_groups_;
  SQLite::Statement insert_group_;
  SQLite::Statement delete_item_;
  SQLite::Statement bump_version_;
};

}  // namespace parley::storage
