#include "gateway/storage/private_store.hpp"

#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {

SqlitePrivateStore::SqlitePrivateStore(SQLite::Database& db)
    : select_(db, "SELECT data FROM private_xml WHERE user = ?1 AND key = ?2"),
      upsert_(db,
              "INSERT INTO private_xml (user, key, data) VALUES (?1, ?2, ?3)"
              " ON CONFLICT (user, key) DO UPDATE SET data = excluded.data") {}

std::optional<std::string> SqlitePrivateStore::get(const model::Address& user,
                                                   const std::string& key) {
  ScopedStatement statement(select_);
  statement->bind(1, user.bare_string());
  statement->bind(2, key);
  if (!statement->executeStep()) return std::nullopt;
  return statement->getColumn(0).getString();
}

void SqlitePrivateStore::set(const model::Address& user, const std::string& key,
                             const std::string& xml) {
  ScopedStatement statement(upsert_);
  statement->bind(1, user.bare_string());
  statement->bind(2, key);
  bind_blob(*statement, 3, xml);
  statement->exec();
}

}  // namespace parley::storage
