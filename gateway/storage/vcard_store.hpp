#pragma once
// VCardStore on SQLite (XEP-0054): one opaque blob per user.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "gateway/api/stores.hpp"

namespace parley::storage {

class SqliteVCardStore final : public api::VCardStore {
 public:
  explicit SqliteVCardStore(SQLite::Database& db);

  std::optional<std::string> get(const model::Address& user) override;
  void set(const model::Address& user, const std::string& vcard) override;  // user: an account

 private:
  SQLite::Statement select_;
  SQLite::Statement upsert_;
};

}  // namespace parley::storage
