#pragma once
// SqliteRoomStore: api::RoomStore on the v2 schema (migrations.cpp).
//
// Lifetime and threading: it holds only references to the connection and to the database's
// statement cache, and prepares its other statements per call, so it owns no SQLite resources
// and may be destroyed after the database was closed. Construct it from Database::sql() (and
// Database::statements()) before handing the Database to the store executor, and use it only
// inside store jobs (api::StoreRoomJobs does that).
#include <SQLiteCpp/Database.h>

#include "gateway/api/room_store.hpp"
#include "gateway/storage/room_message_index.hpp"
#include "gateway/storage/statement_cache.hpp"

namespace parley::storage {

class SqliteRoomStore final : public api::RoomStore {
 public:
  // `cache` (may be null: every statement is then prepared per call) keeps the statement of
  // append(), which runs once per room message. `index` is the connection's
  // (Database::room_index(), whose before_commit() the store executor runs); without one,
  // append() indexes each message at once, as it also does outside a transaction.
  explicit SqliteRoomStore(SQLite::Database& db, StatementCache* cache = nullptr,
                           RoomMessageIndex* index = nullptr)
      : db_(db), cache_(cache), index_(index) {}

  std::vector<model::Category> categories() override;
  void put_category(const model::Category& category) override;
  bool remove_category(const std::string& name) override;

  std::vector<model::Room> rooms() override;
  bool create_room(const model::Room& room, const model::Address& creator) override;
  bool update_room(const model::Room& room) override;
  bool remove_room(const std::string& id) override;
  std::vector<model::Room> search_rooms(const api::RoomSearchQuery& query) override;

  std::vector<model::RoomMember> members(const std::string& room) override;
  void set_role(const std::string& room, const model::RoomMember& member) override;
  std::vector<api::RoomAssociation> associations(const model::Address& user) override;
  std::vector<model::Address> bans(const std::string& room) override;
  void set_banned(const std::string& room, const model::Address& user, bool banned) override;

  void append(const model::RoomMessage& message) override;
  std::int64_t last_sequence() override;
  std::optional<std::int64_t> last_sequence_of(const std::string& room) override;
  bool has_message(const std::string& room, std::int64_t sequence) override;
  api::HistorySlice history(const api::HistoryRange& range) override;
  std::vector<model::RoomMessage> search(const api::MessageSearchQuery& query) override;
  std::size_t purge_expired(model::Timestamp now) override;

  void put_invitation(const model::Invitation& invitation) override;
  std::vector<model::Invitation> invitations(const model::Address& to, bool unseen_only) override;
  std::size_t mark_invitations_seen(const model::Address& to, const std::string& room) override;

  bool follow(const model::Address& user, const std::string& room) override;
  bool unfollow(const model::Address& user, const std::string& room) override;
  std::vector<api::FollowedRow> followed(const model::Address& user) override;
  void mark_read(const model::Address& user, const std::string& room,
                 std::int64_t sequence) override;

 private:
  // Indexes every queued message now, through the connection's index or a temporary one.
  void flush_index();

  SQLite::Database& db_;
  StatementCache* cache_;
  RoomMessageIndex* index_;
};

}  // namespace parley::storage
