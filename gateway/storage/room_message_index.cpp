#include "gateway/storage/room_message_index.hpp"

#include <optional>
#include <string>

#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {

std::size_t RoomMessageIndex::flush() {
  static const std::string kIndex =
      "INSERT INTO room_messages_fts(rowid, body)"
      " SELECT m.seq, m.body FROM room_messages_fts_pending p"
      " JOIN room_messages m ON m.seq = p.seq ORDER BY p.seq";
  static const std::string kDequeue = "DELETE FROM room_messages_fts_pending";
  WriteScope scope(db_);
  std::optional<SQLite::Statement> own;
  const int indexed = statement_for(statements_, db_, kIndex, own).exec();
  statement_for(statements_, db_, kDequeue, own).exec();
  scope.commit();
  queued_ = false;
  return static_cast<std::size_t>(indexed);
}

}  // namespace parley::storage
