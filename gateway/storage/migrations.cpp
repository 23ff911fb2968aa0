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

// Schema v2: persistent rooms (seed 000). Rooms, roles and messages reference rooms(id) ON
// DELETE CASCADE, so deleting a room is one statement. Per-user tables reference accounts like
// v1; room_messages.from_user, bans and inviters do not: history outlives accounts, and
// addresses that are not accounts may be banned. room_messages.seq is assigned by the rooms
// service (a process-wide increasing sequence); AUTOINCREMENT keeps its high-water mark in
// sqlite_sequence even after the newest rows were purged or their room deleted, so an id is
// never handed out twice. The FTS5 index is external-content (no second copy of the bodies),
// kept in sync by triggers (also on cascaded deletes).
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE room_categories (
  name TEXT PRIMARY KEY NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  invitations_allowed INTEGER NOT NULL DEFAULT 1,
  file_posts_allowed INTEGER NOT NULL DEFAULT 1,
  retention_s INTEGER NOT NULL DEFAULT 0     -- 0: keep forever
);

-- Who may create rooms in a category: bare users, or a bare domain meaning all of its users.
CREATE TABLE room_category_creators (
  category TEXT NOT NULL REFERENCES room_categories(name) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  creator TEXT NOT NULL,
  PRIMARY KEY (category, creator)
);

CREATE TABLE rooms (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  topic TEXT NOT NULL DEFAULT '',
  keywords TEXT NOT NULL DEFAULT '[]',       -- JSON array of strings
  category TEXT NOT NULL REFERENCES room_categories(name),  -- no action: in-use stays
  type TEXT NOT NULL,                        -- model::room_type_name()
  privacy TEXT NOT NULL,                     -- model::room_privacy_name()
  created_us INTEGER NOT NULL
);
CREATE INDEX rooms_by_category ON rooms(category);

-- Explicit roles only (member, presenter, manager); everyone else is a guest (none).
CREATE TABLE room_members (
  room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  role TEXT NOT NULL,
  PRIMARY KEY (room, user)
);
CREATE INDEX room_members_by_user ON room_members(user);

CREATE TABLE room_bans (
  room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user TEXT NOT NULL,
  PRIMARY KEY (room, user)
);

CREATE TABLE room_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  from_user TEXT NOT NULL,
  nickname TEXT NOT NULL,
  origin_id TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  stamp_us INTEGER NOT NULL,                 -- microseconds since the unix epoch
  extensions TEXT NOT NULL DEFAULT '[]'      -- JSON array of ForeignPayload objects
);
CREATE INDEX room_messages_by_room ON room_messages(room, seq);
CREATE INDEX room_messages_by_stamp ON room_messages(room, stamp_us);

CREATE VIRTUAL TABLE room_messages_fts USING fts5(
  body, content='room_messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER room_messages_fts_insert AFTER INSERT ON room_messages BEGIN
  INSERT INTO room_messages_fts(rowid, body) VALUES (new.seq, new.body);
END;
CREATE TRIGGER room_messages_fts_delete AFTER DELETE ON room_messages BEGIN
  INSERT INTO room_messages_fts(room_messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
END;
CREATE TRIGGER room_messages_fts_update AFTER UPDATE OF body ON room_messages BEGIN
  INSERT INTO room_messages_fts(room_messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
  INSERT INTO room_messages_fts(rowid, body) VALUES (new.seq, new.body);
END;

-- One invitation per invitee and room: a new one replaces the old (and is unseen again).
CREATE TABLE room_invitations (
  invitee TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  inviter TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  stamp_us INTEGER NOT NULL,
  seen INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (invitee, room)
);

-- The server-side followed list (XCCOS bjoin).
CREATE TABLE followed_rooms (
  user TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  PRIMARY KEY (user, room)
);

-- Last message read per user and room: unread = messages with a higher seq.
CREATE TABLE room_read_marks (
  user TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  last_read INTEGER NOT NULL,
  PRIMARY KEY (user, room)
);
)sql";

// Schema v3: the 1:1 message archives (XEP-0313 user archives). One row per owner and
// message: the sender's and the recipient's archive each hold their copy (ON DELETE CASCADE
// with the account). id is the message's XEP-0359 stanza id, unique per owner; seq orders
// rows with the same stamp. The message itself is message_json's form, like offline storage.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE message_archive (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  owner TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  id TEXT NOT NULL,                          -- the stanza id (XEP-0359)
  with_bare TEXT NOT NULL,                   -- the other party, bare
  with_full TEXT NOT NULL,                   -- the other party as on the stanza
  direction TEXT NOT NULL,                   -- 'in' or 'out'
  stamp_us INTEGER NOT NULL,                 -- microseconds since the unix epoch
  message TEXT NOT NULL,                     -- message_json
  UNIQUE (owner, id)
);
CREATE INDEX message_archive_by_stamp ON message_archive(owner, stamp_us);
CREATE INDEX message_archive_by_with ON message_archive(owner, with_bare, stamp_us);
)sql";

// Schema v4: the compliance outbox (issue 6, seed 000). An event row is inserted in the same
// transaction as the action it records, so one never exists without the other. seq is the
// export order (AUTOINCREMENT: never reused, even after the oldest rows were exported and
// deleted). Each exporter keeps its own cursor; rows at or below every enabled exporter's cursor
// are deleted. compliance_status keeps what an operator needs to see (last error, last export)
// where parleyctl can read it without asking the daemon.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE compliance_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,                   -- the event id: the exporters' idempotency key
  stamp_us INTEGER NOT NULL,                 -- microseconds since the unix epoch
  kind TEXT NOT NULL,                        -- e.g. "room.post"
  event TEXT NOT NULL                        -- the whole event as JSON (compliance_json)
);

CREATE TABLE compliance_cursors (
  exporter TEXT PRIMARY KEY NOT NULL,        -- the exporter's configured name
  last_seq INTEGER NOT NULL                  -- every event up to here was confirmed
);

CREATE TABLE compliance_status (
  exporter TEXT PRIMARY KEY NOT NULL,
  last_success_us INTEGER,                   -- last confirmed batch
  last_failure_us INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  exported INTEGER NOT NULL DEFAULT 0        -- events confirmed since the row was created
);
)sql";

// Schema v5: SIP digest credentials (RFC 3261 §22, RFC 8760). HA1 = H(user:realm:password) for
// MD5 and SHA-256, computed when a password is set; never the password itself. NULL for
// accounts whose password was set before v5 (they must set it again to use SIP).
constexpr std::string_view kSchemaV5 = R"sql(
ALTER TABLE accounts ADD COLUMN sip_realm TEXT;
ALTER TABLE accounts ADD COLUMN sip_ha1_md5 BLOB;
ALTER TABLE accounts ADD COLUMN sip_ha1_sha256 BLOB;
)sql";

// Schema v6: room messages reach the full-text index in bulk. FTS5 writes a new index segment
// for every statement savepoint that touched it, so indexing each post from an AFTER INSERT
// trigger (inside the store executor's per-job SAVEPOINT) cost a segment, and its merges, per
// message. The trigger now only queues the row in room_messages_fts_pending (one small B-tree
// insert); storage::RoomMessageIndex indexes the whole queue with one INSERT ... SELECT before
// the batch commits, and before any search. Rows still queued are not in the FTS index, so a
// delete or an edit of one only drops or leaves it in the queue.
constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE room_messages_fts_pending (
  seq INTEGER PRIMARY KEY                    -- room_messages.seq not yet in room_messages_fts
);
DROP TRIGGER room_messages_fts_insert;
DROP TRIGGER room_messages_fts_delete;
DROP TRIGGER room_messages_fts_update;
CREATE TRIGGER room_messages_fts_insert AFTER INSERT ON room_messages BEGIN
  INSERT INTO room_messages_fts_pending(seq) VALUES (new.seq);
END;
CREATE TRIGGER room_messages_fts_delete AFTER DELETE ON room_messages BEGIN
  INSERT INTO room_messages_fts(room_messages_fts, rowid, body)
    SELECT 'delete', old.seq, old.body
    WHERE NOT EXISTS (SELECT 1 FROM room_messages_fts_pending WHERE seq = old.seq);
  DELETE FROM room_messages_fts_pending WHERE seq = old.seq;
END;
CREATE TRIGGER room_messages_fts_update AFTER UPDATE OF body ON room_messages
WHEN NOT EXISTS (SELECT 1 FROM room_messages_fts_pending WHERE seq = old.seq) BEGIN
  INSERT INTO room_messages_fts(room_messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
  INSERT INTO room_messages_fts(rowid, body) VALUES (new.seq, new.body);
END;
)sql";

// Schema v7: the archive's seq without AUTOINCREMENT. AUTOINCREMENT makes every INSERT update
// sqlite_sequence too, ~15 % of an archive row's cost with the three indexes (bench/TUNING.md),
// and the archive is the store thread's largest load. seq is only the tie-breaker among rows
// of the same stamp and never leaves the database (MAM ids are the stanza ids): a new row's
// seq (the largest + 1) still sorts after every row there is, which is all the order needs;
// a reused seq can only follow the deletion of the newest rows. The table is rebuilt (SQLite
// cannot drop AUTOINCREMENT in place): a large archive makes this first start take a while.
constexpr std::string_view kSchemaV7 = R"sql(
CREATE TABLE message_archive_v7 (
  seq INTEGER PRIMARY KEY,                   -- insertion order, the tie-breaker of equal stamps
  owner TEXT NOT NULL REFERENCES accounts(jid) ON DELETE CASCADE,
  id TEXT NOT NULL,                          -- the stanza id (XEP-0359)
  with_bare TEXT NOT NULL,                   -- the other party, bare
  with_full TEXT NOT NULL,                   -- the other party as on the stanza
  direction TEXT NOT NULL,                   -- 'in' or 'out'
  stamp_us INTEGER NOT NULL,                 -- microseconds since the unix epoch
  message TEXT NOT NULL,                     -- message_json
  UNIQUE (owner, id)
);
INSERT INTO message_archive_v7 (seq, owner, id, with_bare, with_full, direction, stamp_us, message)
  SELECT seq, owner, id, with_bare, with_full, direction, stamp_us, message FROM message_archive;
DROP TABLE message_archive;
ALTER TABLE message_archive_v7 RENAME TO message_archive;
CREATE INDEX message_archive_by_stamp ON message_archive(owner, stamp_us);
CREATE INDEX message_archive_by_with ON message_archive(owner, with_bare, stamp_us);
DELETE FROM sqlite_sequence WHERE name = 'message_archive';
)sql";

constexpr std::array<Migration, 7> kMigrations{{
    {1, "initial schema", kSchemaV1},
    {2, "persistent rooms", kSchemaV2},
    {3, "message archives", kSchemaV3},
    {4, "compliance outbox", kSchemaV4},
    {5, "sip digest credentials", kSchemaV5},
    {6, "bulk room message indexing", kSchemaV6},
    {7, "archive rows without AUTOINCREMENT", kSchemaV7},
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
