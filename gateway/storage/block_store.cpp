#include "gateway/storage/block_store.hpp"

#include <algorithm>

#include "gateway/log/log.hpp"
#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {

SqliteBlockStore::SqliteBlockStore(SQLite::Database& db)
    : db_(db),
      select_(db, "SELECT contact FROM blocks WHERE user = ?1"),
      insert_(db, "INSERT INTO blocks (user, contact) VALUES (?1, ?2) ON CONFLICT DO NOTHING"),
      delete_(db, "DELETE FROM blocks WHERE user = ?1 AND contact = ?2"),
      clear_(db, "DELETE FROM blocks WHERE user = ?1") {}

std::vector<model::Address> SqliteBlockStore::list(const model::Address& user) {
  std::vector<model::Address> items;
  ScopedStatement statement(select_);
  statement->bind(1, user.bare_string());
  while (statement->executeStep()) {
    auto address = model::Address::parse(statement->getColumn(0).getString());
    if (!address) {
      PARLEY_LOG_WARN("storage", "", "bad_stored_address",
                      {{"table", "blocks"}, {"error", address.error()}});
      continue;
    }
    items.push_back(std::move(address).value());
  }
  std::sort(items.begin(), items.end());
  return items;
}

void SqliteBlockStore::add(const model::Address& user, const std::vector<model::Address>& items) {
  const std::string key = user.bare_string();
  WriteScope scope(db_);
  for (const model::Address& item : items) {
    ScopedStatement statement(insert_);
    statement->bind(1, key);
    statement->bind(2, item.to_string());
    statement->exec();
  }
  scope.commit();
}

void SqliteBlockStore::remove(const model::Address& user,
                              const std::vector<model::Address>& items) {
  const std::string key = user.bare_string();
  WriteScope scope(db_);
  for (const model::Address& item : items) {
    ScopedStatement statement(delete_);
    statement->bind(1, key);
    statement->bind(2, item.to_string());
    statement->exec();
  }
  scope.commit();
}

void SqliteBlockStore::clear(const model::Address& user) {
  ScopedStatement statement(clear_);
  statement->bind(1, user.bare_string());
  statement->exec();
}

}  // namespace parley::storage
