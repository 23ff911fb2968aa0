#include "gateway/storage/database.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <system_error>

#include "gateway/log/log.hpp"
#include "gateway/storage/migrations.hpp"

namespace parley::storage {
namespace {

// Connection settings, applied before any migration (foreign_keys is a no-op inside a
// transaction, so it cannot be left to a migration script).
void configure(SQLite::Database& db, const std::string& name, const DatabaseOptions& options) {
  // WAL: readers never block the writer and the writer never blocks readers, which matters
  // when parleyctl reads while parleyd writes; it also makes each commit one append.
  const std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal") {
    PARLEY_LOG_WARN("storage", "", "wal_unavailable", {{"database", name}, {"mode", mode}});
  }
  // NORMAL is safe with WAL: the WAL is synced before each checkpoint and its frames are
  // checksummed, so a power loss can roll back the last few commits but never corrupts the
  // file; a parleyd crash alone loses nothing (the data is in the OS). FULL would fsync the WAL
  // on every commit; group commit amortizes that, NORMAL removes it from the message path.
  db.exec("PRAGMA synchronous = NORMAL");
  // Each store job runs in a SAVEPOINT, whose sub-journal (the pages it changed, kept for a
  // rollback to that savepoint) is a temp file by default: a pwrite per page and job. Memory.
  db.exec("PRAGMA temp_store = MEMORY");
  // Negative: a size in KiB rather than in pages.
  db.exec("PRAGMA cache_size = -" +
          std::to_string(std::max<std::size_t>(options.cache_bytes / 1024, 1)));
  db.exec("PRAGMA foreign_keys = ON");
  if (db.execAndGet("PRAGMA foreign_keys").getInt() != 1) {
    throw std::runtime_error("this SQLite library does not enforce foreign keys");
  }
}

}  // namespace

model::Expected<std::unique_ptr<Database>, std::string> Database::open(
    const std::filesystem::path& path, const DatabaseOptions& options) {
  using Result = model::Expected<std::unique_ptr<Database>, std::string>;
  const std::string name = path.string();
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      return Result::failure("database " + name + ": cannot create directory " +
                             path.parent_path().string() + ": " + error.message());
    }
  }
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(name, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                            static_cast<int>(options.busy_timeout.count()));
    configure(*db, name, options);
  } catch (const std::exception& e) {
    return Result::failure("database " + name + ": cannot open: " + e.what());
  }
  auto migrated = migrate(*db, name);
  if (!migrated) return Result::failure(migrated.error());
  try {
    return std::unique_ptr<Database>(new Database(path, std::move(db)));
  } catch (const std::exception& e) {
    // Preparing a statement failed: the schema is not what this binary expects.
    return Result::failure("database " + name + ": unexpected schema: " + e.what());
  }
}

Database::Database(std::filesystem::path path, std::unique_ptr<SQLite::Database> db)
    : path_(std::move(path)),
      db_(std::move(db)),
      statements_(*db_),
      room_index_(*db_, &statements_),
      accounts_(*db_),
      rosters_(*db_),
      offline_(*db_),
      vcards_(*db_),
      private_xml_(*db_),
      blocks_(*db_),
      directory_(*db_) {}

Database::~Database() = default;

api::Stores Database::stores() {
  return api::Stores{accounts_, rosters_, offline_, vcards_, private_xml_, blocks_, directory_};
}

int Database::schema_version() {
  return db_->execAndGet("PRAGMA user_version").getInt();
}

}  // namespace parley::storage
