#pragma once
// OfflineStore on SQLite (RFC 6121 §8.5.2.2.1 "store the message offline"): messages kept in
// arrival order as JSON (message_json.hpp), taken oldest first and deleted as they are taken.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "gateway/api/stores.hpp"

namespace parley::storage {

class SqliteOfflineStore final : public api::OfflineStore {
 public:
  explicit SqliteOfflineStore(SQLite::Database& db);

  // message.to.bare() must be an account (FOREIGN KEY error otherwise).
  void store(const model::Message& message) override;
  // Returned messages have `delayed` set (they come out of offline storage, XEP-0203). A stored
  // row that no longer parses is deleted and skipped with an error log rather than blocking
  // the queue forever.
  std::vector<model::Message> take(const model::Address& user, std::size_t limit) override;
  std::size_t count(const model::Address& user) override;

 private:
  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement select_oldest_;
  SQLite::Statement delete_upto_;
  SQLite::Statement count_;
};

}  // namespace parley::storage
