#include "gateway/storage/database.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include <SQLiteCpp/Database.h>

#include "gateway/storage/migrations.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using testing::addr;
using testing::fake_credentials;
using testing::open_or_die;
using testing::TempDir;

TEST(Migrations, AreOrderedWithoutGaps) {
  int expected = 1;
  for (const Migration& migration : migrations()) {
    EXPECT_EQ(migration.version, expected++);
    EXPECT_FALSE(migration.sql.empty());
  }
  EXPECT_EQ(latest_schema_version(), expected - 1);
}

TEST(Database, MigratesAnEmptyFileAndCreatesParentDirectories) {
  TempDir dir;
  const auto path = dir.path() / "a" / "b" / "parley.db";
  auto db = open_or_die(path);
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(db->schema_version(), latest_schema_version());
  for (const char* table :
       {"accounts", "roster_items", "roster_groups", "roster_versions", "offline_messages",
        "vcards", "private_xml", "blocks", "departments", "department_members"}) {
    EXPECT_TRUE(db->sql().tableExists(table)) << table;
  }
  EXPECT_EQ(db->sql().execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db->sql().execAndGet("PRAGMA foreign_keys").getInt(), 1);
  EXPECT_EQ(db->sql().execAndGet("PRAGMA synchronous").getInt(), 1);  // NORMAL
  EXPECT_GT(db->sql().execAndGet("PRAGMA busy_timeout").getInt(), 0);
}

TEST(Database, AccountsTableHasNoPasswordColumn) {
  TempDir dir;
  auto db = open_or_die(dir.path() / "parley.db");
  ASSERT_NE(db, nullptr);
  SQLite::Statement columns(db->sql(), "SELECT name FROM pragma_table_info('accounts')");
  int count = 0;
  while (columns.executeStep()) {
    ++count;
    EXPECT_EQ(columns.getColumn(0).getString().find("password"), std::string::npos);
  }
  EXPECT_EQ(count, 13);  // v1: jid, created_at, 8 SCRAM columns; v5: 3 SIP digest columns
}

TEST(Database, ReopenKeepsDataAndDoesNotMigrateAgain) {
  TempDir dir;
  const auto path = dir.path() / "parley.db";
  {
    auto db = open_or_die(path);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->stores().accounts.create(addr("alice@example.com"), fake_credentials("a")));
    db->stores().vcards.set(addr("alice@example.com"), "<vCard/>");
  }
  auto db = open_or_die(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->schema_version(), latest_schema_version());
  EXPECT_TRUE(db->stores().accounts.exists(addr("alice@example.com")));
  EXPECT_EQ(db->stores().vcards.get(addr("alice@example.com")), "<vCard/>");
}

TEST(Database, SchemaV7KeepsTheArchiveRowsAndDropsAutoincrement) {
  TempDir dir;
  const auto path = dir.path() / "parley.db";
  {  // A v6 database with archived rows, as parleyd before v7 wrote it.
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const Migration& migration : migrations()) {
      if (migration.version > 6) break;
      raw.exec(std::string(migration.sql));
    }
    raw.exec("PRAGMA user_version = 6");
    raw.exec(
        "INSERT INTO accounts VALUES ('alice@example.com', 0, x'00', 1, x'00', x'00', x'00', 1,"
        " x'00', x'00', NULL, NULL, NULL)");
    for (int i = 1; i <= 3; ++i) {
      raw.exec(
          "INSERT INTO message_archive (owner, id, with_bare, with_full, direction, stamp_us,"
          " message) VALUES ('alice@example.com', 'id" +
          std::to_string(i) + "', 'bob@example.com', 'bob@example.com/x', 'in', 100, '{}')");
    }
    raw.exec("DELETE FROM message_archive WHERE id = 'id1'");
  }
  auto db = open_or_die(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->schema_version(), latest_schema_version());
  auto& sql = db->sql();
  EXPECT_EQ(sql.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'message_archive'")
                .getString()
                .find("AUTOINCREMENT"),
            std::string::npos);
  EXPECT_EQ(
      sql.execAndGet("SELECT group_concat(id || ':' || seq) FROM message_archive").getString(),
      "id2:2,id3:3");  // every row and its seq kept
  EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'message_archive'"
                           " AND type = 'index' AND name LIKE 'message_archive_by_%'")
                .getInt(),
            2);
  EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM sqlite_sequence WHERE name = 'message_archive'")
                .getInt(),
            0);
  // A new row sorts after every row there is; the account's removal still takes its archive.
  sql.exec(
      "INSERT INTO message_archive (owner, id, with_bare, with_full, direction, stamp_us,"
      " message) VALUES ('alice@example.com', 'id4', 'bob@example.com', 'bob@example.com/x',"
      " 'in', 100, '{}')");
  EXPECT_EQ(sql.execAndGet("SELECT seq FROM message_archive WHERE id = 'id4'").getInt(), 4);
  sql.exec("DELETE FROM accounts WHERE jid = 'alice@example.com'");
  EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM message_archive").getInt(), 0);
}

TEST(Database, RefusesAFileFromANewerVersion) {
  TempDir dir;
  const auto path = dir.path() / "parley.db";
  const int newer = latest_schema_version() + 6;
  {
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE future (x INTEGER)");
    raw.exec("PRAGMA user_version = " + std::to_string(newer));
  }
  auto opened = Database::open(path);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error(), "database " + path.string() + " has schema version " +
                                std::to_string(newer) + ", newer than this parleyd (" +
                                std::to_string(latest_schema_version()) +
                                "): refusing to start; upgrade parleyd");
  // Left untouched: no table of ours was created, the version is unchanged.
  SQLite::Database raw(path.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), newer);
  EXPECT_FALSE(raw.tableExists("accounts"));
}

TEST(Database, ReportsAnUnopenablePath) {
  TempDir dir;
  const auto blocker = dir.path() / "file";
  { std::ofstream(blocker) << "not a directory"; }
  auto opened = Database::open(blocker / "parley.db");
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().find(blocker.string()), std::string::npos) << opened.error();
}

TEST(Database, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const auto path = dir.path() / "parley.db";
  { std::ofstream(path) << std::string(4096, 'x'); }
  auto opened = Database::open(path);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().find(path.string()), std::string::npos) << opened.error();
}

TEST(Database, TwoConnectionsOnOneFileSeeEachOthersWrites) {
  // parleyctl writes while parleyd runs: both open the same file.
  TempDir dir;
  const auto path = dir.path() / "parley.db";
  auto daemon = open_or_die(path);
  auto ctl = open_or_die(path);
  ASSERT_NE(daemon, nullptr);
  ASSERT_NE(ctl, nullptr);
  ASSERT_TRUE(ctl->stores().accounts.create(addr("dave@example.com"), fake_credentials("d")));
  EXPECT_TRUE(daemon->stores().accounts.exists(addr("dave@example.com")));
}

}  // namespace
}  // namespace parley::storage
