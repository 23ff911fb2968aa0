#pragma once
// PrivateStore on SQLite (XEP-0049): opaque XML per user and "element-name namespace" key.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "gateway/api/stores.hpp"

namespace parley::storage {

class SqlitePrivateStore final : public api::PrivateStore {
 public:
  explicit SqlitePrivateStore(SQLite::Database& db);

  std::optional<std::string> get(const model::Address& user, const std::string& key) override;
  // user: an account.
  void set(const model::Address& user, const std::string& key, const std::string& xml) override;

 private:
  SQLite::Statement select_;
  SQLite::Statement upsert_;
};

}  // namespace parley::storage
