#pragma once
// SqliteComplianceOutbox: the compliance outbox on the v4 schema (migrations.cpp, tables
// compliance_outbox, compliance_cursors, compliance_status). One object serves both sides:
//  - api::ComplianceOutbox::append, called by the services from inside the store job that
//    performs the recorded action (it joins that job's savepoint: both commit or neither);
//  - api::ComplianceQueue, used by the compliance worker's jobs, parleyctl and the admin API.
// Like SqliteArchiveStore it holds only references to the connection and (optionally) to the
// database's statement cache: construct it from Database::sql() (and Database::statements())
// before handing the Database to the store executor, and use it only on the thread that owns
// the connection (inside store jobs in parleyd).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>

#include "gateway/api/compliance.hpp"
#include "gateway/api/compliance_queue.hpp"
#include "gateway/storage/statement_cache.hpp"

namespace parley::storage {

class SqliteComplianceOutbox final : public api::ComplianceOutbox, public api::ComplianceQueue {
 public:
  // `cache` (may be null) keeps the statement of append(), which runs once per event.
  explicit SqliteComplianceOutbox(SQLite::Database& db, StatementCache* cache = nullptr);
  ~SqliteComplianceOutbox() override;

  // Throws on a duplicate id (the event ids are random 128-bit values: a duplicate is a bug) or
  // a database error: the enclosing job then rolls back with its action.
  void append(const api::ComplianceEvent& event) override;

  api::ComplianceBatch read_after(std::int64_t after_seq, std::size_t limit) override;
  std::vector<std::int64_t> cursors(const std::vector<std::string>& exporters) override;
  void confirm(const std::string& exporter, std::int64_t seq, std::size_t count,
               model::Timestamp now) override;
  void record_failure(const std::string& exporter, const std::string& error,
                      model::Timestamp now) override;
  std::size_t delete_confirmed(const std::vector<std::string>& exporters) override;
  api::ComplianceStats stats(const std::vector<std::string>& exporters,
                             model::Timestamp now) override;

 private:
  SQLite::Database& db_;
  StatementCache* cache_;
};

// The stats as JSON, shared by `parleyctl compliance status --json` and the admin API
// (GET /api/v1/compliance/status). Format in docs/compliance.md:
//   {"depth", "oldest": RFC 3339 or null, "oldest_age_s", "last_seq",
//    "exporters": [{"name", "cursor", "pending", "exported", "last_error",
//                   "last_success", "last_failure", "consecutive_failures"}]}
std::string compliance_stats_to_json(const api::ComplianceStats& stats);

}  // namespace parley::storage
