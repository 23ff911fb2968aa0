// SqliteRoomStore: the room archive - append, paging by id and time, FTS5 search, retention.
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "gateway/storage/message_json.hpp"
#include "gateway/storage/rooms/room_codec.hpp"
#include "gateway/storage/rooms/room_store.hpp"

namespace parley::storage {
namespace {

constexpr const char* kMessageColumns =
    "m.seq, m.room, m.from_user, m.nickname, m.origin_id, m.body, m.stamp_us, m.extensions";

model::RoomMessage read_message(SQLite::Statement& row) {
  model::RoomMessage message;
  message.id = model::room_message_id(row.getColumn(0).getInt64());
  message.room = row.getColumn(1).getString();
  message.from_user = address_column(row.getColumn(2).getString());
  message.nickname = row.getColumn(3).getString();
  message.origin_id = row.getColumn(4).getString();
  message.body = row.getColumn(5).getString();
  message.stamp = from_unix_micros(row.getColumn(6).getInt64());
  message.extensions = extensions_from_json(row.getColumn(7).getString());
  return message;
}

std::int64_t sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int32_t>::max() - 1));
}

}  // namespace

void SqliteRoomStore::append(const model::RoomMessage& message) {
  const auto sequence = model::parse_room_message_id(message.id);
  if (!sequence) throw std::runtime_error("room message id is not a sequence: " + message.id);
  static const std::string kInsert =
      "INSERT INTO room_messages (seq, room, from_user, nickname, origin_id, body, stamp_us,"
      " extensions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  std::optional<SQLite::Statement> own;
  SQLite::Statement& insert = statement_for(cache_, db_, kInsert, own);
  insert.bind(1, *sequence);
  insert.bind(2, message.room);
  insert.bind(3, message.from_user.bare_string());
  insert.bind(4, message.nickname);
  insert.bind(5, message.origin_id);
  insert.bind(6, message.body);
  insert.bind(7, to_unix_micros(message.stamp));
  insert.bind(8, extensions_to_json(message.extensions));
  insert.exec();
  // The insert trigger queued it for the full-text index (RoomMessageIndex). In a transaction
  // with the connection's index, the commit indexes the whole batch in one statement.
  if (index_ != nullptr && sqlite3_get_autocommit(db_.getHandle()) == 0) {
    index_->mark_queued();
  } else {
    flush_index();
  }
}

void SqliteRoomStore::flush_index() {
  if (index_ != nullptr) {
    index_->flush();
  } else {
    RoomMessageIndex(db_, cache_).flush();
  }
}

std::int64_t SqliteRoomStore::last_sequence() {
  // sqlite_sequence keeps AUTOINCREMENT's high-water mark, also past deleted rows.
  SQLite::Statement query(db_, "SELECT seq FROM sqlite_sequence WHERE name = 'room_messages'");
  std::int64_t high = query.executeStep() ? query.getColumn(0).getInt64() : 0;
  SQLite::Statement max(db_, "SELECT coalesce(max(seq), 0) FROM room_messages");
  max.executeStep();
  return std::max(high, max.getColumn(0).getInt64());
}

std::optional<std::int64_t> SqliteRoomStore::last_sequence_of(const std::string& room) {
  SQLite::Statement query(db_, "SELECT max(seq) FROM room_messages WHERE room = ?1");
  query.bind(1, room);
  query.executeStep();
  if (query.getColumn(0).isNull()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

bool SqliteRoomStore::has_message(const std::string& room, std::int64_t sequence) {
  SQLite::Statement query(db_, "SELECT 1 FROM room_messages WHERE room = ?1 AND seq = ?2");
  query.bind(1, room);
  query.bind(2, sequence);
  return query.executeStep();
}

api::HistorySlice SqliteRoomStore::history(const api::HistoryRange& range) {
  api::HistorySlice slice;
  if (range.limit == 0) {
    slice.complete = false;
    return slice;
  }
  const bool newest_first = range.order == model::HistoryOrder::newest_first;
  // One more row than asked tells whether the page is the last one in its direction.
  SQLite::Statement query(
      db_, std::string("SELECT ") + kMessageColumns +
               " FROM room_messages m WHERE m.room = ?1"
               " AND (?2 IS NULL OR m.seq > ?2) AND (?3 IS NULL OR m.seq < ?3)"
               " AND (?4 IS NULL OR m.stamp_us >= ?4) AND (?5 IS NULL OR m.stamp_us <= ?5)"
               " ORDER BY m.seq " +
               (newest_first ? "DESC" : "ASC") + " LIMIT ?6");
  query.bind(1, range.room);
  auto bind_optional = [&query](int index, const std::optional<std::int64_t>& value) {
    if (value) {
      query.bind(index, *value);
    } else {
      query.bind(index);
    }
  };
  bind_optional(2, range.after);
  bind_optional(3, range.before);
  bind_optional(4, range.since ? std::optional(to_unix_micros(*range.since)) : std::nullopt);
  bind_optional(5, range.until ? std::optional(to_unix_micros(*range.until)) : std::nullopt);
  query.bind(6, sql_limit(range.limit) + 1);
  while (query.executeStep()) {
    if (slice.messages.size() == range.limit) {
      slice.complete = false;
      break;
    }
    slice.messages.push_back(read_message(query));
  }
  if (newest_first) std::reverse(slice.messages.begin(), slice.messages.end());
  return slice;
}

std::vector<model::RoomMessage> SqliteRoomStore::search(const api::MessageSearchQuery& query) {
  std::vector<model::RoomMessage> messages;
  const std::string match = fts_query(query.terms);
  if (match.empty() || query.limit == 0) return messages;
  // Messages still queued for the index (this batch's, or another process's) are found too.
  flush_index();
  // Readable rooms: open ones, or any with an explicit role (closed and secret rooms are
  // members-only, docs/rooms.md). Bans are checked by the service for the single-room case.
  SQLite::Statement select(
      db_, std::string("SELECT ") + kMessageColumns +
               " FROM room_messages_fts f JOIN room_messages m ON m.seq = f.rowid"
               " JOIN rooms r ON r.id = m.room"
               " WHERE room_messages_fts MATCH ?1"
               " AND (?2 IS NULL OR m.room = ?2) AND (?3 IS NULL OR m.seq < ?3)"
               " AND (?4 OR r.privacy = 'open' OR EXISTS (SELECT 1 FROM room_members rm"
               "   WHERE rm.room = r.id AND rm.user = ?5))"
               " AND (?4 OR NOT EXISTS (SELECT 1 FROM room_bans b"
               "   WHERE b.room = r.id AND b.user = ?5))"
               " ORDER BY m.seq DESC LIMIT ?6");
  select.bind(1, match);
  if (query.room) {
    select.bind(2, *query.room);
  } else {
    select.bind(2);
  }
  if (query.before) {
    select.bind(3, *query.before);
  } else {
    select.bind(3);
  }
  select.bind(4, query.all_rooms ? 1 : 0);
  select.bind(5, query.reader.bare_string());
  select.bind(6, sql_limit(query.limit));
  while (select.executeStep()) messages.push_back(read_message(select));
  return messages;
}

std::size_t SqliteRoomStore::purge_expired(model::Timestamp now) {
  SQLite::Statement purge(
      db_,
      "DELETE FROM room_messages WHERE seq IN (SELECT m.seq FROM room_messages m"
      " JOIN rooms r ON r.id = m.room JOIN room_categories c ON c.name = r.category"
      " WHERE c.retention_s > 0 AND m.stamp_us < ?1 - c.retention_s * 1000000)");
  purge.bind(1, to_unix_micros(now));
  return static_cast<std::size_t>(purge.exec());
}

}  // namespace parley::storage
