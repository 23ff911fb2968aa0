// SqliteComplianceOutbox: append in the caller's transaction; ordered batches; per-exporter
// cursors; deletion below the slowest cursor; status for operators.
#include "gateway/storage/compliance/compliance_store.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "gateway/core/compliance/compliance_json.hpp"
#include "gateway/log/log.hpp"
#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {
namespace {

namespace codec = core::compliance;

std::optional<model::Timestamp> optional_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return codec::from_micros(column.getInt64());
}

nlohmann::json optional_time_json(const std::optional<model::Timestamp>& time) {
  if (!time) return nullptr;
  return codec::rfc3339(*time);
}

std::int64_t cursor_of(SQLite::Database& db, const std::string& exporter) {
  SQLite::Statement query(db, "SELECT last_seq FROM compliance_cursors WHERE exporter = ?1");
  query.bind(1, exporter);
  return query.executeStep() ? query.getColumn(0).getInt64() : 0;
}

}  // namespace

SqliteComplianceOutbox::SqliteComplianceOutbox(SQLite::Database& db, StatementCache* cache)
    : db_(db), cache_(cache) {}

SqliteComplianceOutbox::~SqliteComplianceOutbox() = default;

void SqliteComplianceOutbox::append(const api::ComplianceEvent& event) {
  if (event.id.empty()) throw std::invalid_argument("compliance event without an id");
  // Never kept in this object: a statement must be finalised before the connection closes,
  // which would tie the destruction order of the daemon's parts to this class. The database's
  // own cache (destroyed with the connection) keeps it when there is one.
  static const std::string kInsert =
      "INSERT INTO compliance_outbox (id, stamp_us, kind, event) VALUES (?1, ?2, ?3, ?4)";
  std::optional<SQLite::Statement> own;
  SQLite::Statement& insert = statement_for(cache_, db_, kInsert, own);
  insert.bind(1, event.id);
  insert.bind(2, codec::to_micros(event.time));
  insert.bind(3, std::string(api::kind_name(event.kind)));
  insert.bind(4, codec::event_to_json(event));
  insert.exec();
}

api::ComplianceBatch SqliteComplianceOutbox::read_after(std::int64_t after_seq, std::size_t limit) {
  api::ComplianceBatch batch;
  batch.last_seq = after_seq;
  if (limit == 0) return batch;
  SQLite::Statement query(
      db_, "SELECT seq, event FROM compliance_outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  query.bind(1, after_seq);
  query.bind(2, static_cast<std::int64_t>(
                    std::min<std::size_t>(limit, std::numeric_limits<std::int32_t>::max())));
  while (query.executeStep()) {
    const std::int64_t seq = query.getColumn(0).getInt64();
    batch.last_seq = seq;
    auto event = codec::event_from_json(query.getColumn(1).getString());
    if (!event) {
      // Only a hand-edited or corrupted row gets here: exporting cannot fix it, and stopping
      // the queue on it would hold back every later event. Loudly skipped.
      PARLEY_LOG_ERROR("compliance", "", "undecodable_event",
                       {{"seq", std::to_string(seq)}, {"error", event.error()}});
      continue;
    }
    batch.rows.push_back(api::ComplianceRow{seq, std::move(event).value()});
  }
  return batch;
}

std::vector<std::int64_t> SqliteComplianceOutbox::cursors(
    const std::vector<std::string>& exporters) {
  std::vector<std::int64_t> result;
  result.reserve(exporters.size());
  for (const auto& name : exporters) result.push_back(cursor_of(db_, name));
  return result;
}

void SqliteComplianceOutbox::confirm(const std::string& exporter, std::int64_t seq,
                                     std::size_t count, model::Timestamp now) {
  WriteScope scope(db_);
  SQLite::Statement cursor(db_,
                           "INSERT INTO compliance_cursors (exporter, last_seq) VALUES (?1, ?2)"
                           " ON CONFLICT (exporter) DO UPDATE SET"
                           " last_seq = max(last_seq, excluded.last_seq)");
  cursor.bind(1, exporter);
  cursor.bind(2, seq);
  cursor.exec();
  SQLite::Statement status(
      db_,
      "INSERT INTO compliance_status (exporter, last_success_us, last_error,"
      " consecutive_failures, exported) VALUES (?1, ?2, '', 0, ?3)"
      " ON CONFLICT (exporter) DO UPDATE SET last_success_us = excluded.last_success_us,"
      " last_error = '', consecutive_failures = 0, exported = exported + excluded.exported");
  status.bind(1, exporter);
  status.bind(2, codec::to_micros(now));
  status.bind(3, static_cast<std::int64_t>(count));
  status.exec();
  scope.commit();
}

void SqliteComplianceOutbox::record_failure(const std::string& exporter, const std::string& error,
                                            model::Timestamp now) {
  SQLite::Statement status(
      db_,
      "INSERT INTO compliance_status (exporter, last_failure_us, last_error,"
      " consecutive_failures) VALUES (?1, ?2, ?3, 1)"
      " ON CONFLICT (exporter) DO UPDATE SET last_failure_us = excluded.last_failure_us,"
      " last_error = excluded.last_error, consecutive_failures = consecutive_failures + 1");
  status.bind(1, exporter);
  status.bind(2, codec::to_micros(now));
  status.bind(3, error);
  status.exec();
}

std::size_t SqliteComplianceOutbox::delete_confirmed(const std::vector<std::string>& exporters) {
  if (exporters.empty()) return 0;
  const auto all = cursors(exporters);
  const std::int64_t confirmed = *std::min_element(all.begin(), all.end());
  if (confirmed <= 0) return 0;
  SQLite::Statement remove(db_, "DELETE FROM compliance_outbox WHERE seq <= ?1");
  remove.bind(1, confirmed);
  return static_cast<std::size_t>(remove.exec());
}

api::ComplianceStats SqliteComplianceOutbox::stats(const std::vector<std::string>& exporters,
                                                   model::Timestamp now) {
  api::ComplianceStats stats;
  {
    SQLite::Statement query(db_, "SELECT count(*), min(stamp_us), max(seq) FROM compliance_outbox");
    query.executeStep();
    stats.depth = query.getColumn(0).getInt64();
    stats.oldest = optional_time(query.getColumn(1));
    stats.last_seq = query.getColumn(2).isNull() ? 0 : query.getColumn(2).getInt64();
  }
  if (stats.oldest) {
    stats.oldest_age =
        std::max(std::chrono::microseconds(0),
                 std::chrono::duration_cast<std::chrono::microseconds>(now - *stats.oldest));
  }
  SQLite::Statement pending(db_, "SELECT count(*) FROM compliance_outbox WHERE seq > ?1");
  SQLite::Statement status(db_,
                           "SELECT last_success_us, last_failure_us, last_error,"
                           " consecutive_failures, exported FROM compliance_status"
                           " WHERE exporter = ?1");
  for (const auto& name : exporters) {
    api::ComplianceExporterStats exporter;
    exporter.name = name;
    exporter.cursor = cursor_of(db_, name);
    {
      ScopedStatement q(pending);
      q->bind(1, exporter.cursor);
      q->executeStep();
      exporter.pending = q->getColumn(0).getInt64();
    }
    {
      ScopedStatement q(status);
      q->bind(1, name);
      if (q->executeStep()) {
        exporter.last_success = optional_time(q->getColumn(0));
        exporter.last_failure = optional_time(q->getColumn(1));
        exporter.last_error = q->getColumn(2).getString();
        exporter.consecutive_failures = q->getColumn(3).getInt64();
        exporter.exported = q->getColumn(4).getInt64();
      }
    }
    stats.exporters.push_back(std::move(exporter));
  }
  return stats;
}

std::string compliance_stats_to_json(const api::ComplianceStats& stats) {
  nlohmann::json exporters = nlohmann::json::array();
  for (const auto& e : stats.exporters) {
    exporters.push_back({{"name", e.name},
                         {"cursor", e.cursor},
                         {"pending", e.pending},
                         {"exported", e.exported},
                         {"last_error", e.last_error},
                         {"last_success", optional_time_json(e.last_success)},
                         {"last_failure", optional_time_json(e.last_failure)},
                         {"consecutive_failures", e.consecutive_failures}});
  }
  const nlohmann::json out{
      {"depth", stats.depth},
      {"oldest", optional_time_json(stats.oldest)},
      // Seconds with millisecond resolution: a young event is not "0 s old" to an alert rule.
      {"oldest_age_s",
       static_cast<double>(
           std::chrono::duration_cast<std::chrono::milliseconds>(stats.oldest_age).count()) /
           1000.0},
      {"last_seq", stats.last_seq},
      {"exporters", std::move(exporters)},
  };
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace parley::storage
