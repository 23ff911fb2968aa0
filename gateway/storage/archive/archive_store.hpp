#pragma once
// SqliteArchiveStore: api::ArchiveStore on the v3 schema (migrations.cpp, table
// message_archive). Like SqliteRoomStore it holds only a reference to the connection and
// prepares its statements per call: construct it from Database::sql() before handing the
// Database to the store executor, and use it only inside store jobs (api::StoreArchiveJobs).
#include <SQLiteCpp/Database.h>

#include "gateway/api/archive_store.hpp"

namespace parley::storage {

class SqliteArchiveStore final : public api::ArchiveStore {
 public:
  explicit SqliteArchiveStore(SQLite::Database& db) : db_(db) {}

  std::size_t append(const std::vector<api::ArchiveEntry>& entries) override;
  api::ArchiveSlice slice(const api::ArchiveRange& range) override;

 private:
  SQLite::Database& db_;
};

}  // namespace parley::storage
