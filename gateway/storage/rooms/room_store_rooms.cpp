// SqliteRoomStore: categories, rooms, roles and bans.
#include <SQLiteCpp/Statement.h>

#include <limits>

#include "gateway/storage/message_json.hpp"
#include "gateway/storage/rooms/room_codec.hpp"
#include "gateway/storage/rooms/room_store.hpp"
#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {
namespace {

constexpr const char* kRoomColumns =
    "r.id, r.name, r.description, r.topic, r.keywords, r.category, r.type, r.privacy, "
    "r.created_us";

model::Room read_room(SQLite::Statement& row) {
  model::Room room;
  room.id = row.getColumn(0).getString();
  room.name = row.getColumn(1).getString();
  room.description = row.getColumn(2).getString();
  room.topic = row.getColumn(3).getString();
  room.keywords = keywords_from_json(row.getColumn(4).getString());
  room.category = row.getColumn(5).getString();
  room.type = room_type_column(row.getColumn(6).getString());
  room.privacy = room_privacy_column(row.getColumn(7).getString());
  room.created = from_unix_micros(row.getColumn(8).getInt64());
  return room;
}

void bind_room(SQLite::Statement& statement, const model::Room& room) {
  statement.bind(1, room.id);
  statement.bind(2, room.name);
  statement.bind(3, room.description);
  statement.bind(4, room.topic);
  statement.bind(5, keywords_to_json(room.keywords));
  statement.bind(6, room.category);
  statement.bind(7, std::string(model::room_type_name(room.type)));
  statement.bind(8, std::string(model::room_privacy_name(room.privacy)));
  statement.bind(9, to_unix_micros(room.created));
}

// Another room (not `id`) already has this name, case-insensitively like the UNIQUE column.
bool name_taken(SQLite::Database& db, const std::string& name, const std::string& id) {
  SQLite::Statement query(db, "SELECT 1 FROM rooms WHERE name = ?1 AND id <> ?2");
  query.bind(1, name);
  query.bind(2, id);
  return query.executeStep();
}

std::int64_t sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int32_t>::max()));
}

}  // namespace

std::vector<model::Category> SqliteRoomStore::categories() {
  std::vector<model::Category> categories;
  SQLite::Statement query(db_,
                          "SELECT name, description, invitations_allowed, file_posts_allowed,"
                          " retention_s FROM room_categories ORDER BY name");
  while (query.executeStep()) {
    model::Category category;
    category.name = query.getColumn(0).getString();
    category.description = query.getColumn(1).getString();
    category.invitations_allowed = query.getColumn(2).getInt() != 0;
    category.file_posts_allowed = query.getColumn(3).getInt() != 0;
    category.retention = std::chrono::seconds(query.getColumn(4).getInt64());
    categories.push_back(std::move(category));
  }
  SQLite::Statement creators(
      db_, "SELECT creator FROM room_category_creators WHERE category = ?1 ORDER BY position");
  for (auto& category : categories) {
    ScopedStatement statement(creators);
    statement->bind(1, category.name);
    while (statement->executeStep()) {
      category.creators.push_back(address_column(statement->getColumn(0).getString()));
    }
  }
  return categories;
}

void SqliteRoomStore::put_category(const model::Category& category) {
  WriteScope scope(db_);
  // Upsert rather than REPLACE: REPLACE deletes the row first, which the rooms' foreign key
  // forbids for a category in use.
  SQLite::Statement upsert(
      db_,
      "INSERT INTO room_categories (name, description, invitations_allowed, file_posts_allowed,"
      " retention_s) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO UPDATE SET"
      " description = excluded.description, invitations_allowed = excluded.invitations_allowed,"
      " file_posts_allowed = excluded.file_posts_allowed, retention_s = excluded.retention_s");
  upsert.bind(1, category.name);
  upsert.bind(2, category.description);
  upsert.bind(3, category.invitations_allowed ? 1 : 0);
  upsert.bind(4, category.file_posts_allowed ? 1 : 0);
  upsert.bind(5, static_cast<std::int64_t>(category.retention.count()));
  upsert.exec();
  SQLite::Statement clear(db_, "DELETE FROM room_category_creators WHERE category = ?1");
  clear.bind(1, category.name);
  clear.exec();
  SQLite::Statement insert(db_,
                           "INSERT OR IGNORE INTO room_category_creators (category, position,"
                           " creator) VALUES (?1, ?2, ?3)");
  int position = 0;
  for (const auto& creator : category.creators) {
    ScopedStatement statement(insert);
    statement->bind(1, category.name);
    statement->bind(2, position++);
    statement->bind(3, creator.bare_string());
    statement->exec();
  }
  scope.commit();
}

bool SqliteRoomStore::remove_category(const std::string& name) {
  SQLite::Statement in_use(db_, "SELECT 1 FROM rooms WHERE category = ?1 LIMIT 1");
  in_use.bind(1, name);
  if (in_use.executeStep()) return false;
  SQLite::Statement remove(db_, "DELETE FROM room_categories WHERE name = ?1");
  remove.bind(1, name);
  return remove.exec() > 0;
}

std::vector<model::Room> SqliteRoomStore::rooms() {
  std::vector<model::Room> rooms;
  SQLite::Statement query(db_,
                          std::string("SELECT ") + kRoomColumns + " FROM rooms r ORDER BY r.id");
  while (query.executeStep()) rooms.push_back(read_room(query));
  return rooms;
}

bool SqliteRoomStore::create_room(const model::Room& room, const model::Address& creator) {
  WriteScope scope(db_);
  {
    SQLite::Statement exists(db_, "SELECT 1 FROM rooms WHERE id = ?1 OR name = ?2");
    exists.bind(1, room.id);
    exists.bind(2, room.name);
    if (exists.executeStep()) return false;
  }
  SQLite::Statement insert(
      db_,
      "INSERT INTO rooms (id, name, description, topic, keywords, category,"
      " type, privacy, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  bind_room(insert, room);
  insert.exec();
  if (!creator.empty())
    set_role(room.id, model::RoomMember{creator.bare(), model::RoomRole::manager});
  scope.commit();
  return true;
}

bool SqliteRoomStore::update_room(const model::Room& room) {
  if (name_taken(db_, room.name, room.id)) return false;
  SQLite::Statement update(db_,
                           "UPDATE rooms SET name = ?2, description = ?3, topic = ?4,"
                           " keywords = ?5, category = ?6, type = ?7, privacy = ?8,"
                           " created_us = ?9 WHERE id = ?1");
  bind_room(update, room);
  return update.exec() > 0;
}

bool SqliteRoomStore::remove_room(const std::string& id) {
  SQLite::Statement remove(db_, "DELETE FROM rooms WHERE id = ?1");
  remove.bind(1, id);
  return remove.exec() > 0;
}

std::vector<model::Room> SqliteRoomStore::search_rooms(const api::RoomSearchQuery& query) {
  // Secret rooms only for their members (seed 000: "secret rooms are not found by search").
  SQLite::Statement select(
      db_, std::string("SELECT ") + kRoomColumns +
               " FROM rooms r WHERE"
               " (?1 OR r.privacy <> 'secret' OR EXISTS (SELECT 1 FROM room_members m"
               "   WHERE m.room = r.id AND m.user = ?2))"
               " AND (?3 IS NULL OR r.category = ?3)"
               " AND (?4 = '' OR r.name LIKE ?5 ESCAPE '\\' OR r.description LIKE ?5 ESCAPE '\\'"
               "   OR EXISTS (SELECT 1 FROM json_each(r.keywords) k"
               "     WHERE k.value LIKE ?5 ESCAPE '\\'))"
               " ORDER BY r.name COLLATE NOCASE LIMIT ?6");
  select.bind(1, query.all_rooms ? 1 : 0);
  select.bind(2, query.viewer.bare_string());
  if (query.category) {
    select.bind(3, *query.category);
  } else {
    select.bind(3);
  }
  select.bind(4, query.text);
  select.bind(5, like_substring(query.text));
  select.bind(6, sql_limit(query.limit));
  std::vector<model::Room> rooms;
  while (select.executeStep()) rooms.push_back(read_room(select));
  return rooms;
}

std::vector<model::RoomMember> SqliteRoomStore::members(const std::string& room) {
  SQLite::Statement query(db_, "SELECT user, role FROM room_members WHERE room = ?1 ORDER BY user");
  query.bind(1, room);
  std::vector<model::RoomMember> members;
  while (query.executeStep()) {
    members.push_back(model::RoomMember{address_column(query.getColumn(0).getString()),
                                        room_role_column(query.getColumn(1).getString())});
  }
  return members;
}

void SqliteRoomStore::set_role(const std::string& room, const model::RoomMember& member) {
  if (member.role == model::RoomRole::none) {
    SQLite::Statement remove(db_, "DELETE FROM room_members WHERE room = ?1 AND user = ?2");
    remove.bind(1, room);
    remove.bind(2, member.user.bare_string());
    remove.exec();
    return;
  }
  SQLite::Statement upsert(db_,
                           "INSERT INTO room_members (room, user, role) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(room, user) DO UPDATE SET role = excluded.role");
  upsert.bind(1, room);
  upsert.bind(2, member.user.bare_string());
  upsert.bind(3, std::string(model::room_role_name(member.role)));
  upsert.exec();
}

std::vector<api::RoomAssociation> SqliteRoomStore::associations(const model::Address& user) {
  SQLite::Statement query(db_, "SELECT room, role FROM room_members WHERE user = ?1 ORDER BY room");
  query.bind(1, user.bare_string());
  std::vector<api::RoomAssociation> rows;
  while (query.executeStep()) {
    rows.push_back(api::RoomAssociation{query.getColumn(0).getString(),
                                        room_role_column(query.getColumn(1).getString())});
  }
  return rows;
}

std::vector<model::Address> SqliteRoomStore::bans(const std::string& room) {
  SQLite::Statement query(db_, "SELECT user FROM room_bans WHERE room = ?1 ORDER BY user");
  query.bind(1, room);
  std::vector<model::Address> users;
  while (query.executeStep()) users.push_back(address_column(query.getColumn(0).getString()));
  return users;
}

void SqliteRoomStore::set_banned(const std::string& room, const model::Address& user, bool banned) {
  SQLite::Statement statement(db_, banned ? "INSERT OR IGNORE INTO room_bans (room, user)"
                                            " VALUES (?1, ?2)"
                                          : "DELETE FROM room_bans WHERE room = ?1 AND user = ?2");
  statement.bind(1, room);
  statement.bind(2, user.bare_string());
  statement.exec();
}

}  // namespace parley::storage
