#pragma once
// Versioned schema migrations. PRAGMA user_version holds the schema version of a database file;
// each migration moves it from N-1 to N in its own transaction. Migrations are only ever
// appended: a released script is never edited, a change is a new script.
#include <span>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>

#include "mapping/model/expected.hpp"

namespace parley::storage {

struct Migration {
  int version;  // the user_version after this script
  std::string_view description;
  std::string_view sql;
};

// Ordered by version, starting at 1, without gaps.
std::span<const Migration> migrations();
int latest_schema_version();

// Brings `db` to latest_schema_version(). Fails (leaving the file untouched) when the file is
// newer than this binary. `name` is the file name used in messages. Returns the version found.
model::Expected<int, std::string> migrate(SQLite::Database& db, const std::string& name);

}  // namespace parley::storage
