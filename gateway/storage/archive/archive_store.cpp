// SqliteArchiveStore: append with skip-if-unknown-owner, paging by id and time in
// (stamp, insertion) order, XEP-0313 §4.1.1 'with' matching.
#include "gateway/storage/archive/archive_store.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "gateway/log/log.hpp"
#include "gateway/storage/message_json.hpp"

namespace parley::storage {
namespace {

std::int64_t sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int32_t>::max() - 1));
}

struct Anchor {  // a row's position in the archive order
  std::int64_t stamp_us = 0;
  std::int64_t seq = 0;
};

std::optional<Anchor> find_anchor(SQLite::Database& db, const std::string& owner,
                                  const std::string& id) {
  SQLite::Statement query(db,
                          "SELECT stamp_us, seq FROM message_archive WHERE owner = ?1 AND id = ?2");
  query.bind(1, owner);
  query.bind(2, id);
  if (!query.executeStep()) return std::nullopt;
  return Anchor{query.getColumn(0).getInt64(), query.getColumn(1).getInt64()};
}

}  // namespace

std::size_t SqliteArchiveStore::append(const std::vector<api::ArchiveEntry>& entries) {
  for (const auto& entry : entries) {
    if (!entry.message || entry.message->stanza_id.empty()) {
      throw std::invalid_argument("archive entry without a message or stanza id");
    }
  }
  // Only accounts have archives: entries of non-accounts are skipped, so a message to or from
  // one never fails the batch on the foreign key. The check is its own query so that the
  // INSERT stays a single-row VALUES: inside a transaction, SQLite gives any statement that
  // may abort half-way (INSERT ... SELECT) a statement savepoint, and releasing one walks the
  // job's in-memory sub-journal from its start, which made a large batch quadratic
  // (bench/TUNING.md). OR IGNORE: a message archived twice (same owner, same stanza id) stays
  // one entry (XEP-0359 ids are unique).
  SQLite::Statement is_account(db_, "SELECT 1 FROM accounts WHERE jid = ?1");
  SQLite::Statement insert(
      db_,
      "INSERT OR IGNORE INTO message_archive (owner, id, with_bare, with_full, direction,"
      " stamp_us, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  std::unordered_map<std::string, bool> accounts;  // owner -> has an account, for this batch
  const model::Message* serialized_for = nullptr;
  std::string json;  // a message's two entries (sender's, recipient's) share one serialization
  std::size_t written = 0;
  for (const auto& entry : entries) {
    std::string owner = entry.owner.bare_string();
    auto known = accounts.find(owner);
    if (known == accounts.end()) {
      is_account.reset();
      is_account.bind(1, owner);
      known = accounts.emplace(owner, is_account.executeStep()).first;
    }
    if (!known->second) continue;
    if (entry.message.get() != serialized_for) {
      json = message_to_json(*entry.message);
      serialized_for = entry.message.get();
    }
    insert.reset();
    insert.bind(1, owner);
    insert.bind(2, entry.message->stanza_id);
    insert.bind(3, entry.with.bare_string());
    insert.bind(4, entry.with.to_string());
    insert.bind(5, entry.direction == api::ArchiveDirection::outgoing ? "out" : "in");
    insert.bind(6, to_unix_micros(entry.message->stamp));
    insert.bind(7, json);
    written += static_cast<std::size_t>(insert.exec());
  }
  return written;
}

api::ArchiveSlice SqliteArchiveStore::slice(const api::ArchiveRange& range) {
  api::ArchiveSlice slice;
  const std::string owner = range.owner.bare_string();
  std::optional<Anchor> after;
  std::optional<Anchor> before;
  // XEP-0059 §2.6 / XEP-0313 §4.3: an id that is not in the archive is item-not-found.
  if (range.after_id) {
    after = find_anchor(db_, owner, *range.after_id);
    if (!after) slice.unknown_id = true;
  }
  if (range.before_id) {
    before = find_anchor(db_, owner, *range.before_id);
    if (!before) slice.unknown_id = true;
  }
  if (slice.unknown_id) return slice;
  if (range.limit == 0) {  // XEP-0059 §2.7: a count-only request; more may exist
    slice.complete = false;
    return slice;
  }
  const bool newest_first = range.order == model::HistoryOrder::newest_first;
  const char* direction = newest_first ? " DESC" : " ASC";
  // One more row than asked tells whether the page is the last one in its direction.
  SQLite::Statement query(
      db_, std::string("SELECT id, message FROM message_archive WHERE owner = ?1") +
               " AND (?2 IS NULL OR with_bare = ?2) AND (?3 IS NULL OR with_full = ?3)"
               " AND (?4 IS NULL OR stamp_us >= ?4) AND (?5 IS NULL OR stamp_us <= ?5)"
               " AND (?6 IS NULL OR (stamp_us, seq) > (?6, ?7))"
               " AND (?8 IS NULL OR (stamp_us, seq) < (?8, ?9))"
               " ORDER BY stamp_us" +
               direction + ", seq" + direction + " LIMIT ?10");
  query.bind(1, owner);
  if (range.with) {
    // XEP-0313 §4.1.1: a bare 'with' matches every resource, a full one only itself.
    query.bind(2, range.with->bare_string());
    if (range.with->is_full()) {
      query.bind(3, range.with->to_string());
    } else {
      query.bind(3);
    }
  } else {
    query.bind(2);
    query.bind(3);
  }
  auto bind_stamp = [&query](int index, const std::optional<model::Timestamp>& stamp) {
    if (stamp) {
      query.bind(index, to_unix_micros(*stamp));
    } else {
      query.bind(index);
    }
  };
  bind_stamp(4, range.start);
  bind_stamp(5, range.end);
  auto bind_anchor = [&query](int index, const std::optional<Anchor>& anchor) {
    if (anchor) {
      query.bind(index, anchor->stamp_us);
      query.bind(index + 1, anchor->seq);
    } else {
      query.bind(index);
      query.bind(index + 1);
    }
  };
  bind_anchor(6, after);
  bind_anchor(8, before);
  query.bind(10, sql_limit(range.limit) + 1);
  while (query.executeStep()) {
    if (slice.messages.size() == range.limit) {
      slice.complete = false;
      break;
    }
    std::string id = query.getColumn(0).getString();
    auto message = message_from_json(query.getColumn(1).getString());
    if (!message) {
      // A row this version cannot read (e.g. an address that no longer parses) is skipped,
      // not fatal for the whole page.
      PARLEY_LOG_WARN("storage", "", "archive_row_unreadable",
                      {{"owner", owner}, {"id", id}, {"error", message.error()}});
      continue;
    }
    slice.messages.push_back(api::ArchivedMessage{
        std::move(id), std::make_shared<const model::Message>(std::move(message).value())});
  }
  if (newest_first) std::reverse(slice.messages.begin(), slice.messages.end());
  return slice;
}

}  // namespace parley::storage
