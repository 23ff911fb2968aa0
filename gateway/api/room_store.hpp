#pragma once
// RoomStore: the persistent side of the rooms service, model types in and out, no SQL. Like the
// other stores it is blocking and only ever called on the store thread.
//
// api::Stores (stores.hpp) does not carry it: a RoomStore is reached through RoomStoreExecutor,
// whose StoreRoomJobs adapter (below) runs room jobs as ordinary StoreJobs on the one
// StoreExecutor, so room writes share the group commit with everything else.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/api/store_executor.hpp"
#include "mapping/model/room_model.hpp"

namespace parley::api {

// A slice of one room's archive. Ids are the int64 sequence numbers (exclusive bounds).
struct HistoryRange {
  std::string room;
  std::optional<std::int64_t> after;
  std::optional<std::int64_t> before;
  std::optional<model::Timestamp> since;  // inclusive
  std::optional<model::Timestamp> until;  // inclusive
  std::size_t limit = 50;
  model::HistoryOrder order = model::HistoryOrder::oldest_first;
};

struct HistorySlice {
  std::vector<model::RoomMessage> messages;  // always oldest first
  bool complete = true;                      // nothing more in the paging direction
};

// Full-text search over bodies (FTS5). `terms` are plain words: the store quotes each one, so
// no FTS syntax from users reaches SQLite; all terms must match.
struct MessageSearchQuery {
  std::vector<std::string> terms;
  std::optional<std::string> room;  // nullopt: every room `reader` may read
  model::Address reader;            // bare; empty with `all_rooms` = true (administrators)
  bool all_rooms = false;
  std::optional<std::int64_t> before;  // paging: newest first, ids below this
  std::size_t limit = 50;
};

// Room directory search (XCCOS chansrch, XEP-0045 §6.3 disco#items): case-insensitive substring
// of name, description or a keyword; empty text lists everything visible. Secret rooms appear
// only to their members (or with all_rooms).
struct RoomSearchQuery {
  std::string text;
  std::optional<std::string> category;
  model::Address viewer;  // bare
  bool all_rooms = false;
  std::size_t limit = 100;
};

struct RoomAssociation {  // XCCOS getassociations: rooms where the user has a role
  std::string room;
  model::RoomRole role = model::RoomRole::none;
};

struct FollowedRow {
  std::string room;
  std::optional<std::int64_t> last_read;  // nullopt: nothing read yet
  std::uint64_t unread = 0;               // messages after last_read
};

class RoomStore {
 public:
  virtual ~RoomStore() = default;

  // ---- categories ----
  virtual std::vector<model::Category> categories() = 0;
  virtual void put_category(const model::Category& category) = 0;  // insert or replace
  // false: unknown, or rooms still use it.
  virtual bool remove_category(const std::string& name) = 0;

  // ---- rooms ----
  virtual std::vector<model::Room> rooms() = 0;
  // false: id or name (case-insensitively) already taken. The creator becomes manager.
  virtual bool create_room(const model::Room& room, const model::Address& creator) = 0;
  virtual bool update_room(const model::Room& room) = 0;  // false: unknown id / name taken
  // Removes the room with its members, messages, invitations, follows and read marks.
  virtual bool remove_room(const std::string& id) = 0;
  virtual std::vector<model::Room> search_rooms(const RoomSearchQuery& query) = 0;

  // ---- roles and bans ----
  virtual std::vector<model::RoomMember> members(const std::string& room) = 0;
  virtual void set_role(const std::string& room,
                        const model::RoomMember& member) = 0;  // none: removes
  virtual std::vector<RoomAssociation> associations(const model::Address& user) = 0;
  virtual std::vector<model::Address> bans(const std::string& room) = 0;
  virtual void set_banned(const std::string& room, const model::Address& user, bool banned) = 0;

  // ---- messages ----
  virtual void append(const model::RoomMessage& message) = 0;  // message.id is a sequence
  // The highest message sequence ever stored (also of deleted rooms), 0 for none.
  virtual std::int64_t last_sequence() = 0;
  virtual std::optional<std::int64_t> last_sequence_of(const std::string& room) = 0;
  virtual bool has_message(const std::string& room, std::int64_t sequence) = 0;
  virtual HistorySlice history(const HistoryRange& range) = 0;
  virtual std::vector<model::RoomMessage> search(
      const MessageSearchQuery& query) = 0;  // newest first
  // Retention: deletes messages older than their category's retention before `now`.
  virtual std::size_t purge_expired(model::Timestamp now) = 0;

  // ---- invitations ----
  // One invitation per (room, to): a new one replaces the old and is unseen again.
  virtual void put_invitation(const model::Invitation& invitation) = 0;
  virtual std::vector<model::Invitation> invitations(const model::Address& to,
                                                     bool unseen_only) = 0;
  // room empty: all of the user's invitations. Returns how many changed.
  virtual std::size_t mark_invitations_seen(const model::Address& to, const std::string& room) = 0;

  // ---- followed rooms and read marks ----
  virtual bool follow(const model::Address& user, const std::string& room) = 0;    // false: already
  virtual bool unfollow(const model::Address& user, const std::string& room) = 0;  // false: was not
  virtual std::vector<FollowedRow> followed(const model::Address& user) = 0;       // by room id
  // Keeps the highest mark: an older id does not move it back.
  virtual void mark_read(const model::Address& user, const std::string& room,
                         std::int64_t sequence) = 0;
};

// ---- running room work on the store thread ----

struct RoomStoreJob {
  std::function<void(RoomStore&)> work;
  // Same contract as StoreJob::done: after COMMIT, on the store thread, in submission order.
  std::function<void(bool committed, const std::string& error)> done;
};

class RoomStoreExecutor {
 public:
  virtual ~RoomStoreExecutor() = default;
  // Thread-safe; returns at once. Jobs complete in submission order (the rooms service relies
  // on it: message fan-out follows commit order).
  virtual void submit(RoomStoreJob job) = 0;
};

// The wiring adapter: room jobs become StoreJobs on the shared executor. `store` must only be
// touched on the store thread and must outlive every job submitted here (the app declares it
// before the executor, so it is destroyed after the executor stopped).
class StoreRoomJobs final : public RoomStoreExecutor {
 public:
  StoreRoomJobs(StoreExecutor& executor, RoomStore& store) : executor_(executor), store_(store) {}

  void submit(RoomStoreJob job) override {
    executor_.submit(StoreJob{[store = &store_, work = std::move(job.work)](Stores&) {
                                if (work) work(*store);
                              },
                              std::move(job.done)});
  }

 private:
  StoreExecutor& executor_;
  RoomStore& store_;
};

// run_on_store for room jobs: `work(RoomStore&) -> R`, then `done(R or nullopt)` after commit.
template <class R>
void run_on_room_store(RoomStoreExecutor& executor, std::function<R(RoomStore&)> work,
                       std::function<void(std::optional<R>)> done) {
  auto result = std::make_shared<std::optional<R>>();
  executor.submit(RoomStoreJob{
      [result, work = std::move(work)](RoomStore& store) { result->emplace(work(store)); },
      [result, done = std::move(done)](bool committed, const std::string&) {
        if (!committed) result->reset();
        if (done) done(std::move(*result));
      }});
}

}  // namespace parley::api
