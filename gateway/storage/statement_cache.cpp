#include "gateway/storage/statement_cache.hpp"

namespace parley::storage {

SQLite::Statement& StatementCache::get(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
    return *it->second;
  }
  // A previous use may have stopped anywhere (done, or thrown mid-step): start clean. The
  // result is that previous step's error, already reported to its caller (reset() would
  // throw it again and fail every later use).
  it->second->tryReset();
  it->second->clearBindings();
  return *it->second;
}

SQLite::Statement& statement_for(StatementCache* cache, SQLite::Database& db,
                                 const std::string& sql, std::optional<SQLite::Statement>& own) {
  return cache != nullptr ? cache->get(sql) : own.emplace(db, sql);
}

}  // namespace parley::storage
