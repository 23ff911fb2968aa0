#pragma once
// The queue side of the compliance outbox (gateway/api/compliance.hpp is the append side): what
// the compliance worker, parleyctl and the admin API need. Implemented by
// storage::SqliteComplianceOutbox. Like every store it runs only on the store thread (inside
// store jobs) or on a thread that owns the database (parleyctl).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/api/compliance.hpp"

namespace parley::api {

struct ComplianceRow {
  std::int64_t seq = 0;  // export order; never reused
  ComplianceEvent event;
};

struct ComplianceBatch {
  std::vector<ComplianceRow> rows;  // ascending seq
  // Rows in the range that could not be decoded (logged and skipped; they are deleted like the
  // others once every cursor passed them). The highest seq read, decoded or not:
  std::int64_t last_seq = 0;
};

struct ComplianceExporterStats {
  std::string name;
  std::int64_t cursor = 0;    // every event up to this seq was confirmed
  std::int64_t pending = 0;   // events in the outbox after the cursor
  std::int64_t exported = 0;  // events confirmed since the status row was created
  std::string last_error;     // empty after a success
  std::optional<model::Timestamp> last_success;
  std::optional<model::Timestamp> last_failure;
  std::int64_t consecutive_failures = 0;
  friend bool operator==(const ComplianceExporterStats&, const ComplianceExporterStats&) = default;
};

struct ComplianceStats {
  std::int64_t depth = 0;                          // events in the outbox
  std::optional<model::Timestamp> oldest;          // the oldest event's time; nullopt when empty
  std::chrono::microseconds oldest_age{0};         // now - oldest (0 when empty)
  std::int64_t last_seq = 0;                       // the newest seq in the outbox (0 when empty)
  std::vector<ComplianceExporterStats> exporters;  // in the order the names were given
};

class ComplianceQueue {
 public:
  virtual ~ComplianceQueue() = default;
  // At most `limit` events with seq > after_seq, in seq order.
  virtual ComplianceBatch read_after(std::int64_t after_seq, std::size_t limit) = 0;
  // The cursor of each name (0 when it has none yet), in the order given.
  virtual std::vector<std::int64_t> cursors(const std::vector<std::string>& exporters) = 0;
  // Moves the cursor forward to `seq` (never backwards) and records the success: clears the
  // error, resets the failure count, adds `count` to exported.
  virtual void confirm(const std::string& exporter, std::int64_t seq, std::size_t count,
                       model::Timestamp now) = 0;
  virtual void record_failure(const std::string& exporter, const std::string& error,
                              model::Timestamp now) = 0;
  // Deletes the events at or below every named exporter's cursor; returns how many. With no
  // names nothing is deleted (nobody confirmed anything).
  virtual std::size_t delete_confirmed(const std::vector<std::string>& exporters) = 0;
  virtual ComplianceStats stats(const std::vector<std::string>& exporters,
                                model::Timestamp now) = 0;
};

}  // namespace parley::api
