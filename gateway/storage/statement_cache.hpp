#pragma once
// StatementCache: prepared statements kept for the life of a connection, for the statements a
// store runs once per message (preparing one costs more than running it: the room post's
// INSERT was a quarter of the store thread's time in the room fan-out benchmark).
//
// Owned by storage::Database next to the connection and destroyed before it, so that stores
// which are destroyed after the database was closed (SqliteRoomStore) never hold a statement
// themselves. Store thread only, like the connection.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace parley::storage {

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The statement for `sql`, prepared on first use, then reset with its bindings cleared.
  SQLite::Statement& get(const std::string& sql);

 private:
  SQLite::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// For stores that may or may not have a cache: the cached statement for `sql`, or one prepared
// into `own` for this call only.
SQLite::Statement& statement_for(StatementCache* cache, SQLite::Database& db,
                                 const std::string& sql, std::optional<SQLite::Statement>& own);

}  // namespace parley::storage
