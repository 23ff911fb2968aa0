#pragma once
// BlockStore on SQLite (XEP-0191): the set of blocked addresses per user. Items are kept as
// given (XEP-0191 §3.3 allows bare, full and domain addresses).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "gateway/api/stores.hpp"

namespace parley::storage {

class SqliteBlockStore final : public api::BlockStore {
 public:
  explicit SqliteBlockStore(SQLite::Database& db);

  std::vector<model::Address> list(const model::Address& user) override;  // sorted
  // Adding an already blocked item, or removing one not blocked, is not an error. add/remove
  // apply all items or none. user: an account.
  void add(const model::Address& user, const std::vector<model::Address>& items) override;
  void remove(const model::Address& user, const std::vector<model::Address>& items) override;
  void clear(const model::Address& user) override;

 private:
  SQLite::Database& db_;
  SQLite::Statement select_;
  SQLite::Statement insert_;
  SQLite::Statement delete_;
  SQLite::Statement clear_;
};

}  // namespace parley::storage
