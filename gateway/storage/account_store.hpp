#pragma once
// AccountStore on SQLite: one row per bare address with the two SCRAM credentials and the SIP
// digest HA1s (schema v5).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "gateway/api/stores.hpp"

namespace parley::storage {

class SqliteAccountStore final : public api::AccountStore {
 public:
  explicit SqliteAccountStore(SQLite::Database& db);

  bool create(const model::Address& bare, const api::Credentials& credentials) override;
  // Every table referencing the account cascades (see migrations.cpp).
  bool remove(const model::Address& bare) override;
  bool exists(const model::Address& bare) override;
  std::optional<api::Credentials> credentials(const model::Address& bare) override;
  bool set_credentials(const model::Address& bare, const api::Credentials& credentials) override;
  std::vector<model::Address> list() override;

 private:
  SQLite::Statement insert_;
  SQLite::Statement delete_;
  SQLite::Statement exists_;
  SQLite::Statement select_credentials_;
  SQLite::Statement update_credentials_;
  SQLite::Statement list_;
};

}  // namespace parley::storage
