#pragma once
// RoomMessageIndex: moves room messages into the full-text index in bulk.
//
// Inserting a room message only queues its seq in room_messages_fts_pending (schema v6 in
// migrations.cpp says why: FTS5 writes a segment per statement savepoint). flush() indexes the
// whole queue with one INSERT ... SELECT. The store executor calls before_commit() ahead of
// every COMMIT, so a batch's posts are searchable once it is committed; searches flush() first,
// which also picks up rows another process (parleyctl) queued. Everything happens inside the
// caller's transaction, so a crash never leaves a committed row both unqueued and unindexed.
//
// One per connection (storage::Database owns it); store thread only, like the connection.
#include <cstddef>

#include <SQLiteCpp/Database.h>

#include "gateway/storage/statement_cache.hpp"

namespace parley::storage {

class RoomMessageIndex {
 public:
  // `statements` may be null: the two statements are then prepared per flush.
  RoomMessageIndex(SQLite::Database& db, StatementCache* statements)
      : db_(db), statements_(statements) {}
  RoomMessageIndex(const RoomMessageIndex&) = delete;
  RoomMessageIndex& operator=(const RoomMessageIndex&) = delete;

  // This connection queued a message since the last flush (SqliteRoomStore::append).
  void mark_queued() { queued_ = true; }

  // Indexes every queued message, all or none (a savepoint inside a transaction, its own
  // transaction otherwise). Returns how many were indexed.
  std::size_t flush();

  // flush() when this connection queued something; cheap otherwise.
  void before_commit() {
    if (queued_) flush();
  }

 private:
  SQLite::Database& db_;
  StatementCache* statements_;
  bool queued_ = false;
};

}  // namespace parley::storage
