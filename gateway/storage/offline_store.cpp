#include "gateway/storage/offline_store.hpp"

#include <algorithm>
#include <limits>

#include "gateway/log/log.hpp"
#include "gateway/storage/message_json.hpp"
#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {

SqliteOfflineStore::SqliteOfflineStore(SQLite::Database& db)
    : db_(db),
      insert_(db, "INSERT INTO offline_messages (user, stamp_us, message) VALUES (?1, ?2, ?3)"),
      select_oldest_(db,
                     "SELECT seq, message FROM offline_messages WHERE user = ?1"
                     " ORDER BY seq LIMIT ?2"),
      delete_upto_(db, "DELETE FROM offline_messages WHERE user = ?1 AND seq <= ?2"),
      count_(db, "SELECT count(*) FROM offline_messages WHERE user = ?1") {}

void SqliteOfflineStore::store(const model::Message& message) {
  ScopedStatement statement(insert_);
  statement->bind(1, message.to.bare_string());
  statement->bind(2, to_unix_micros(message.stamp));
  statement->bind(3, message_to_json(message));
  statement->exec();
}

std::vector<model::Message> SqliteOfflineStore::take(const model::Address& user,
                                                     std::size_t limit) {
  std::vector<model::Message> messages;
  if (limit == 0) return messages;
  const std::string key = user.bare_string();
  const auto sql_limit = static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
  WriteScope scope(db_);
  std::int64_t last_seq = -1;
  {
    ScopedStatement statement(select_oldest_);
    statement->bind(1, key);
    statement->bind(2, sql_limit);
    while (statement->executeStep()) {
      last_seq = statement->getColumn(0).getInt64();
      auto message = message_from_json(statement->getColumn(1).getString());
      if (!message) {
        PARLEY_LOG_ERROR(
            "storage", "", "bad_offline_message",
            {{"user", key}, {"seq", std::to_string(last_seq)}, {"error", message.error()}});
        continue;
      }
      messages.push_back(std::move(message).value());
      messages.back().delayed = true;
    }
  }
  if (last_seq < 0) return messages;  // nothing stored; the scope rolls back a no-op
  // Rows are read in seq order, so "everything up to the last one read" is exactly the set read.
  ScopedStatement statement(delete_upto_);
  statement->bind(1, key);
  statement->bind(2, last_seq);
  statement->exec();
  scope.commit();
  return messages;
}

std::size_t SqliteOfflineStore::count(const model::Address& user) {
  ScopedStatement statement(count_);
  statement->bind(1, user.bare_string());
  statement->executeStep();
  return static_cast<std::size_t>(statement->getColumn(0).getInt64());
}

}  // namespace parley::storage
