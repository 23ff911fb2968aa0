#include "gateway/storage/migrations.hpp"

#include <array>
#include <exception>

#include "gateway/log/log.hpp"

namespace parley::storage {
namespace {

// Schema v1. Every per-user table references accounts(jid) ON DELETE CASCADE: removing an
// account removes all of its data in one statement, and no table can hold data for an account
// that does not exist (a write for an unknown user fails with a FOREIGN KEY error instead of
// leaving orphans behind, e.g. offline messages piling up for a mistyped address).
// Addresses are stored in their string form (bare for users, as given for contacts).
// Opaque payloads (vCards, private XML, SCRAM keys) are BLOBs so they round-trip byte for byte.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE accounts (
  jid TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL,               -- unix seconds
  -- RFC 5802 §3: salt, iteration count, StoredKey and ServerKey; never the password.
  scram_sha1_salt BLOB NOT NULL,
  scram_sha1_iterations INTEGER NOT NULL,
  scram_sha1_stored_key BLOB NOT NULL,
  scram_sha1_server_key BLOB NOT NULL,
  scram_sha256_salt BLOB NOT NULL,
  scram_sha256_iterations INTEGER NOT NULL,
  scram_sha256_stored_key BLOB NOT NULL,
  scram_sha256_server_key BLOB NOT NULL
);

CREATE TABLE roster_items (
  user TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  contact TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,                       -- model::state_name(), e.g. "none+pending-out"
  approved INTEGER NOT NULL DEFAULT 0,       -- RFC 6121 §3.4 pre-approval
  PRIMARY KEY (user, contact)
);

-- position keeps the groups in the order the client gave them.
CREATE TABLE roster_groups (
  user TEXT NOT NULL,
  contact TEXT NOT NULL,
  position INTEGER NOT NULL,
  group_name TEXT NOT NULL,
  PRIMARY KEY (user, contact, group_name),
  FOREIGN KEY (user, contact) REFERENCES roster_items(user, contact) ON DELETE CASCADE
);

-- XEP-0237 roster versioning: strictly increasing per user, bumped with every change.
CREATE TABLE roster_versions (
  user TEXT PRIMARY KEY NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  version INTEGER NOT NULL
);

-- AUTOINCREMENT: seq is never reused, so it is the delivery order even across deletions.
CREATE TABLE offline_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  user TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  stamp_us INTEGER NOT NULL,                 -- microseconds since the unix epoch
  message TEXT NOT NULL                      -- the model Message as JSON (message_json.hpp)
);
CREATE INDEX offline_messages_by_user ON offline_messages(user, seq);

CREATE TABLE vcards (
  user TEXT PRIMARY KEY NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  data BLOB NOT NULL
);

CREATE TABLE private_xml (
  user TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  key TEXT NOT NULL,                         -- XEP-0049: "element-name namespace"
  data BLOB NOT NULL,
  PRIMARY KEY (user, key)
);

CREATE TABLE blocks (
  user TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  contact TEXT NOT NULL,
  PRIMARY KEY (user, contact)
);

-- Removing a department promotes its sub-departments to the top level (SET NULL) instead of
-- cascading: a cascade would silently drop whole subtrees and their memberships, and RESTRICT
-- would make remove_department fail with an error the interface has no way to express.
CREATE TABLE departments (
  name TEXT PRIMARY KEY NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  parent TEXT REFERENCES departments(name) ON DELETE SET NULL
);
CREATE INDEX departments_by_parent ON departments(parent);

CREATE TABLE department_members (
  department TEXT NOT NULL REFERENCES departments(name) ON DELETE CASCADE,
  user TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  admin INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (department, user)
);
CREATE INDEX department_members_by_user ON department_members(user);
)sql";

constexpr std::array<Migration, 1> kMigrations{{
    {1, "initial schema", kSchemaV1},
}};

int user_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

std::string too_new(const std::string& name, int found, int latest) {
  return "database " + name + " has schema version " + std::to_string(found) +
         ", newer than this parleyd (" + std::to_string(latest) +
         "): refusing to start; upgrade parleyd";
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations.back().version;
}

model::Expected<int, std::string> migrate(SQLite::Database& db, const std::string& name) {
  using Result = model::Expected<int, std::string>;
  const int latest = latest_schema_version();
  int found = 0;
  try {
    found = user_version(db);
  } catch (const std::exception& e) {
    return Result::failure("database " + name + ": cannot read the schema version: " + e.what());
  }
  if (found > latest) return Result::failure(too_new(name, found, latest));

  for (const Migration& migration : kMigrations) {
    if (migration.version <= found) continue;
    try {
      // The write lock first, then look again: parleyctl and parleyd may open the same new
      // file at once, and only one of them may apply each step.
      db.exec("BEGIN IMMEDIATE");
      const int current = user_version(db);
      if (current > latest) {
        db.exec("ROLLBACK");
        return Result::failure(too_new(name, current, latest));
      }
      if (current >= migration.version) {
        db.exec("COMMIT");
        continue;
      }
      db.exec(std::string(migration.sql));
      // user_version lives in the database header, so it commits with the script.
      db.exec("PRAGMA user_version = " + std::to_string(migration.version));
      db.exec("COMMIT");
    } catch (const std::exception& e) {
      db.tryExec("ROLLBACK");
      return Result::failure("database " + name + ": migration to schema version " +
                             std::to_string(migration.version) + " (" +
                             std::string(migration.description) + ") failed: " + e.what());
    }
    PARLEY_LOG_INFO("storage", "", "schema_migrated",
                    {{"database", name},
                     {"version", std::to_string(migration.version)},
                     {"description", std::string(migration.description)}});
  }
  return found;
}

}  // namespace parley::storage
