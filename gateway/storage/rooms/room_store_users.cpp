// SqliteRoomStore: per-user room state - invitations, the followed list and read marks.
#include <SQLiteCpp/Statement.h>

#include "gateway/storage/message_json.hpp"
#include "gateway/storage/rooms/room_codec.hpp"
#include "gateway/storage/rooms/room_store.hpp"

namespace parley::storage {

void SqliteRoomStore::put_invitation(const model::Invitation& invitation) {
  SQLite::Statement upsert(
      db_,
      "INSERT INTO room_invitations (invitee, room, inviter, reason, stamp_us, seen)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(invitee, room) DO UPDATE SET"
      " inviter = excluded.inviter, reason = excluded.reason, stamp_us = excluded.stamp_us,"
      " seen = excluded.seen");
  upsert.bind(1, invitation.to.bare_string());
  upsert.bind(2, invitation.room);
  upsert.bind(3, invitation.from.bare_string());
  upsert.bind(4, invitation.reason);
  upsert.bind(5, to_unix_micros(invitation.stamp));
  upsert.bind(6, invitation.seen ? 1 : 0);
  upsert.exec();
}

std::vector<model::Invitation> SqliteRoomStore::invitations(const model::Address& to,
                                                            bool unseen_only) {
  SQLite::Statement query(db_,
                          "SELECT room, inviter, reason, stamp_us, seen FROM room_invitations"
                          " WHERE invitee = ?1 AND (?2 = 0 OR seen = 0)"
                          " ORDER BY stamp_us, room");
  query.bind(1, to.bare_string());
  query.bind(2, unseen_only ? 1 : 0);
  std::vector<model::Invitation> invitations;
  while (query.executeStep()) {
    model::Invitation invitation;
    invitation.room = query.getColumn(0).getString();
    invitation.from = address_column(query.getColumn(1).getString());
    invitation.to = to.bare();
    invitation.reason = query.getColumn(2).getString();
    invitation.stamp = from_unix_micros(query.getColumn(3).getInt64());
    invitation.seen = query.getColumn(4).getInt() != 0;
    invitations.push_back(std::move(invitation));
  }
  return invitations;
}

std::size_t SqliteRoomStore::mark_invitations_seen(const model::Address& to,
                                                   const std::string& room) {
  SQLite::Statement update(db_,
                           "UPDATE room_invitations SET seen = 1 WHERE invitee = ?1"
                           " AND (?2 = '' OR room = ?2) AND seen = 0");
  update.bind(1, to.bare_string());
  update.bind(2, room);
  return static_cast<std::size_t>(update.exec());
}

bool SqliteRoomStore::follow(const model::Address& user, const std::string& room) {
  SQLite::Statement insert(db_,
                           "INSERT OR IGNORE INTO followed_rooms (user, room) VALUES (?1, ?2)");
  insert.bind(1, user.bare_string());
  insert.bind(2, room);
  return insert.exec() > 0;
}

bool SqliteRoomStore::unfollow(const model::Address& user, const std::string& room) {
  SQLite::Statement remove(db_, "DELETE FROM followed_rooms WHERE user = ?1 AND room = ?2");
  remove.bind(1, user.bare_string());
  remove.bind(2, room);
  return remove.exec() > 0;
}

std::vector<api::FollowedRow> SqliteRoomStore::followed(const model::Address& user) {
  // The count walks room_messages_by_room from the mark: cost is the unread count, not the
  // archive size.
  SQLite::Statement query(
      db_,
      "SELECT f.room, k.last_read, (SELECT count(*) FROM room_messages m"
      "   WHERE m.room = f.room AND m.seq > coalesce(k.last_read, 0))"
      " FROM followed_rooms f LEFT JOIN room_read_marks k ON k.user = f.user AND k.room = f.room"
      " WHERE f.user = ?1 ORDER BY f.room");
  query.bind(1, user.bare_string());
  std::vector<api::FollowedRow> rows;
  while (query.executeStep()) {
    api::FollowedRow row;
    row.room = query.getColumn(0).getString();
    if (!query.getColumn(1).isNull()) row.last_read = query.getColumn(1).getInt64();
    row.unread = static_cast<std::uint64_t>(query.getColumn(2).getInt64());
    rows.push_back(std::move(row));
  }
  return rows;
}

void SqliteRoomStore::mark_read(const model::Address& user, const std::string& room,
                                std::int64_t sequence) {
  SQLite::Statement upsert(db_,
                           "INSERT INTO room_read_marks (user, room, last_read) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(user, room) DO UPDATE SET"
                           " last_read = max(last_read, excluded.last_read)");
  upsert.bind(1, user.bare_string());
  upsert.bind(2, room);
  upsert.bind(3, sequence);
  upsert.exec();
}

}  // namespace parley::storage
