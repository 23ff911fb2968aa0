#pragma once
// The SQLite database of one parleyd: opened once, migrated to the current schema, and the
// home of the store implementations. Not thread-safe: it belongs to one thread at a time (the
// store executor's thread in parleyd, the main thread in parleyctl).
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include <SQLiteCpp/Database.h>

#include "gateway/api/stores.hpp"
#include "gateway/storage/account_store.hpp"
#include "gateway/storage/block_store.hpp"
#include "gateway/storage/directory_store.hpp"
#include "gateway/storage/offline_store.hpp"
#include "gateway/storage/private_store.hpp"
#include "gateway/storage/room_message_index.hpp"
#include "gateway/storage/roster_store.hpp"
#include "gateway/storage/statement_cache.hpp"
#include "gateway/storage/vcard_store.hpp"
#include "mapping/model/expected.hpp"

namespace parley::storage {

struct DatabaseOptions {
  // How long a writer waits for another process's write lock (parleyctl may write while
  // parleyd runs) before SQLITE_BUSY.
  std::chrono::milliseconds busy_timeout{5000};
  // SQLite's page cache for this connection (grows as used). The default 2 MB is smaller than
  // the index pages one batch of archive inserts dirties across many owners: SQLite then
  // spills dirty pages to the WAL mid-transaction and reads evicted pages back, which cost
  // half the store thread under load (bench/TUNING.md).
  std::size_t cache_bytes = 64 * 1024 * 1024;
};

class Database {
 public:
  // Creates the parent directories and the file if needed, applies the pragmas and every
  // pending migration. Fails with a message for people, e.g. "database /x/parley.db has schema
  // version 7, newer than this parleyd (3): refusing to start; upgrade parleyd".
  static model::Expected<std::unique_ptr<Database>, std::string> open(
      const std::filesystem::path& path, const DatabaseOptions& options = {});

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The stores, for synchronous use on the owning thread.
  api::Stores stores();
  // The connection itself, for transactions around several store calls.
  SQLite::Database& sql() { return *db_; }
  // Statements prepared once for this connection (statement_cache.hpp); store thread only.
  StatementCache& statements() { return statements_; }
  // Room messages queued for the full-text index (room_message_index.hpp).
  RoomMessageIndex& room_index() { return room_index_; }
  // Deferred work that belongs in the transaction about to commit (the store executor calls it
  // before every COMMIT): today, indexing the room messages this batch queued.
  void before_commit() { room_index_.before_commit(); }
  const std::filesystem::path& path() const { return path_; }
  int schema_version();

 private:
  Database(std::filesystem::path path, std::unique_ptr<SQLite::Database> db);

  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> db_;  // first: the stores' statements refer to it
  StatementCache statements_;             // destroyed before the connection closes
  RoomMessageIndex room_index_;
  SqliteAccountStore accounts_;
  SqliteRosterStore rosters_;
  SqliteOfflineStore offline_;
  SqliteVCardStore vcards_;
  SqlitePrivateStore private_xml_;
  SqliteBlockStore blocks_;
  SqliteDirectoryStore directory_;
};

}  // namespace parley::storage
