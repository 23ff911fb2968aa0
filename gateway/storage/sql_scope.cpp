#include "gateway/storage/sql_scope.hpp"

#include <sqlite3.h>

namespace parley::storage {

ScopedStatement::ScopedStatement(SQLite::Statement& statement) : statement_(statement) {
  // tryReset: reset() rethrows the error of the previous run, which belongs to that run.
  statement_.tryReset();
  statement_.clearBindings();
}

ScopedStatement::~ScopedStatement() {
  statement_.tryReset();
}

WriteScope::WriteScope(SQLite::Database& db) : db_(db) {
  own_transaction_ = sqlite3_get_autocommit(db_.getHandle()) != 0;
  db_.exec(own_transaction_ ? "BEGIN IMMEDIATE" : "SAVEPOINT store_op");
}

WriteScope::~WriteScope() {
  if (done_) return;
  if (own_transaction_) {
    db_.tryExec("ROLLBACK");
  } else {
    // ROLLBACK TO keeps the savepoint open; RELEASE pops it (SQLite "SAVEPOINT" docs).
    db_.tryExec("ROLLBACK TO store_op");
    db_.tryExec("RELEASE store_op");
  }
}

void WriteScope::commit() {
  db_.exec(own_transaction_ ? "COMMIT" : "RELEASE store_op");
  done_ = true;
}

void bind_blob(SQLite::Statement& statement, int index, const std::string& bytes) {
  statement.bind(index, static_cast<const void*>(bytes.data()), static_cast<int>(bytes.size()));
}

}  // namespace parley::storage
