#pragma once
// RoomsService: the persistent rooms service behind api::Rooms (seed 000 persistent chat),
// presented by the XMPP MUC, XCCOS and WebSocket faces. A thin facade over the operations in
// room_operations.hpp sharing one RoomsContext.
//
// Threading: every method may be called from any thread. Each room has its own SerialQueue
// (no lock across rooms); the room directory is behind a reader-writer lock held only for
// look-ups. Store work runs as RoomStoreJobs (group commit); message fan-out happens after the
// commit. Callbacks run on a room's queue (the dispatcher's thread, or inline) or on the store
// thread.
//
// Lifetime: queued tasks and store jobs hold the shared context, so the service may be
// destroyed while work is queued; the RoomStoreExecutor (and the store behind it) must outlive
// every job.
//
// Wiring in gateway/app (see docs/rooms.md):
//   auto db = storage::Database::open(path).value();
//   storage::SqliteRoomStore room_store(db->sql());   // declared before the executor
//   storage::SqliteStoreExecutor executor(std::move(db));
//   api::StoreRoomJobs room_jobs(executor, room_store);
//   core::rooms::RoomsService rooms(config, room_jobs, clock,
//       [&io](core::rooms::Task t) { boost::asio::post(io, std::move(t)); });
//   rooms.load(...);  // before accepting sessions
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gateway/api/compliance.hpp"
#include "gateway/api/room_store.hpp"
#include "gateway/api/rooms.hpp"
#include "gateway/core/rooms/rooms_config.hpp"
#include "gateway/core/rooms/serial_queue.hpp"

namespace parley::core::rooms {

struct RoomsContext;

class RoomsService final : public api::Rooms {
 public:
  // An empty dispatcher runs room tasks inline on the calling thread (tests, tools).
  // `compliance` (issue 6): which room events are recorded, and the outbox they go to in the
  // same store job as their action (room_compliance.hpp); the default records nothing.
  RoomsService(RoomsConfig config, api::RoomStoreExecutor& store, RoomsClock clock,
               Dispatcher dispatcher = {}, api::ComplianceRecorder compliance = {});
  ~RoomsService() override;
  RoomsService(const RoomsService&) = delete;
  RoomsService& operator=(const RoomsService&) = delete;

  // Loads categories, rooms, roles, bans and the message sequence from the store (at start,
  // and after parleyctl changed rooms). `done(ok, error)` on the store thread.
  void load(std::function<void(bool ok, const std::string& error)> done);

  // ---- administration (parleyctl, the room-management API) ----
  void put_category(model::Category category, api::ErrorCallback done);
  void remove_category(const std::string& name, api::ErrorCallback done);  // not-allowed: in use
  // Retention: deletes messages older than their category's retention; call periodically.
  void purge_expired(std::function<void(std::optional<std::size_t> purged)> done);
  // The account is gone (its rows went with it, ON DELETE CASCADE): drop cached roles.
  void note_account_removed(const model::Address& user);
  std::size_t room_count() const;

  // ---- api::Rooms ----
  void join(api::JoinRequest request, api::RoomsCallback<api::JoinResult> done) override;
  void leave(const std::string& room, const api::RoomParticipant* participant) override;
  void leave_all(const api::RoomParticipant* participant) override;
  void post(api::PostRequest request,
            api::RoomsCallback<std::shared_ptr<const model::RoomMessage>> done) override;
  void set_topic(const api::RoomActor& actor, const std::string& room, std::string topic,
                 api::ErrorCallback done) override;
  void create_room(const api::RoomActor& actor, api::RoomSettings settings,
                   api::RoomsCallback<std::shared_ptr<const model::Room>> done) override;
  void modify_room(const api::RoomActor& actor, const std::string& room, api::RoomSettings changes,
                   api::RoomsCallback<std::shared_ptr<const model::Room>> done) override;
  void delete_room(const api::RoomActor& actor, const std::string& room, std::string reason,
                   api::ErrorCallback done) override;
  void room_info(const api::RoomActor& actor, const std::string& room,
                 api::RoomsCallback<api::RoomInfo> done) override;
  void search_rooms(
      const api::RoomActor& actor, api::RoomSearch query,
      api::RoomsCallback<std::vector<std::shared_ptr<const model::Room>>> done) override;
  void categories(std::function<void(std::vector<model::Category>)> done) override;
  void set_role(const api::RoomActor& actor, const std::string& room, model::RoomMember member,
                api::ErrorCallback done) override;
  void members(const api::RoomActor& actor, const std::string& room,
               api::RoomsCallback<std::vector<model::RoomMember>> done) override;
  void associations(const model::Address& user,
                    std::function<void(std::vector<api::Association>)> done) override;
  void kick(const api::RoomActor& actor, const std::string& room, const std::string& nickname,
            std::string reason, api::ErrorCallback done) override;
  void ban(const api::RoomActor& actor, const std::string& room, const model::Address& user,
           std::string reason, api::ErrorCallback done) override;
  void unban(const api::RoomActor& actor, const std::string& room, const model::Address& user,
             api::ErrorCallback done) override;
  void history(const api::RoomActor& actor, api::HistoryQuery query,
               api::RoomsCallback<api::HistoryPage> done) override;
  void search_messages(
      const api::RoomActor& actor, api::MessageSearch query,
      api::RoomsCallback<std::vector<std::shared_ptr<const model::RoomMessage>>> done) override;
  void invite(const api::RoomActor& actor, const std::string& room, const model::Address& to,
              std::string reason, api::ErrorCallback done) override;
  void invitations(const model::Address& user, bool unseen_only,
                   std::function<void(std::vector<model::Invitation>)> done) override;
  void mark_invitations_seen(const model::Address& user, const std::string& room,
                             api::ErrorCallback done) override;
  void follow(const api::RoomActor& actor, const std::string& room,
              api::ErrorCallback done) override;
  void unfollow(const api::RoomActor& actor, const std::string& room,
                api::ErrorCallback done) override;
  void followed(const model::Address& user,
                std::function<void(std::vector<api::FollowedRoom>)> done) override;
  void mark_read(const api::RoomActor& actor, const std::string& room,
                 const std::string& message_id, api::ErrorCallback done) override;
  void watch(const model::Address& user, std::weak_ptr<api::RoomParticipant> watcher) override;
  void unwatch(const model::Address& user, const api::RoomParticipant* watcher) override;

 private:
  std::shared_ptr<RoomsContext> ctx_;
};

}  // namespace parley::core::rooms
