#include "gateway/storage/vcard_store.hpp"

#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {

SqliteVCardStore::SqliteVCardStore(SQLite::Database& db)
    : select_(db, "SELECT data FROM vcards WHERE user = ?1"),
      upsert_(db,
              "INSERT INTO vcards (user, data) VALUES (?1, ?2)"
              " ON CONFLICT (user) DO UPDATE SET data = excluded.data") {}

std::optional<std::string> SqliteVCardStore::get(const model::Address& user) {
  ScopedStatement statement(select_);
  statement->bind(1, user.bare_string());
  if (!statement->executeStep()) return std::nullopt;
  return statement->getColumn(0).getString();
}

void SqliteVCardStore::set(const model::Address& user, const std::string& vcard) {
  ScopedStatement statement(upsert_);
  statement->bind(1, user.bare_string());
  bind_blob(*statement, 2, vcard);
  statement->exec();
}

}  // namespace parley::storage
