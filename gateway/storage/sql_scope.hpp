#pragma once
// Two small RAII helpers every store uses.
//  - ScopedStatement: a cached prepared statement, reset and unbound on entry and reset again on
//    exit. The reset on exit matters: a statement left mid-result keeps its read transaction
//    open, which pins the WAL snapshot and stops checkpoints.
//  - WriteScope: makes a multi-statement store operation atomic whatever the caller does. Inside
//    a transaction (the executor's batch) it is a SAVEPOINT; on its own (parleyctl, tests) it is
//    BEGIN IMMEDIATE ... COMMIT, so the write lock is taken up front and busy_timeout applies
//    (a deferred read that later upgrades to a write can fail with SQLITE_BUSY_SNAPSHOT in WAL
//    mode without waiting at all).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace parley::storage {

class ScopedStatement {
 public:
  explicit ScopedStatement(SQLite::Statement& statement);
  ~ScopedStatement();
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;

  SQLite::Statement* operator->() { return &statement_; }
  SQLite::Statement& operator*() { return statement_; }

 private:
  SQLite::Statement& statement_;
};

class WriteScope {
 public:
  explicit WriteScope(SQLite::Database& db);
  // Rolls back unless commit() was called (an exception unwound the operation).
  ~WriteScope();
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  void commit();

 private:
  SQLite::Database& db_;
  bool own_transaction_ = false;  // true: BEGIN IMMEDIATE; false: SAVEPOINT
  bool done_ = false;
};

// Binds raw bytes as a BLOB (SQLiteCpp binds std::string as TEXT).
void bind_blob(SQLite::Statement& statement, int index, const std::string& bytes);

}  // namespace parley::storage
