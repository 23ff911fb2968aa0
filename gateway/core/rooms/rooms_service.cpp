#include "gateway/core/rooms/rooms_service.hpp"

#include <utility>

#include "gateway/core/rooms/room_operations.hpp"
#include "gateway/core/rooms/rooms_context.hpp"

namespace parley::core::rooms {

RoomsService::RoomsService(RoomsConfig config, api::RoomStoreExecutor& store, RoomsClock clock,
                           Dispatcher dispatcher, api::ComplianceRecorder compliance)
    : ctx_(std::make_shared<RoomsContext>(config, store, std::move(clock), std::move(dispatcher),
                                          compliance)) {}

RoomsService::~RoomsService() = default;

void RoomsService::load(std::function<void(bool ok, const std::string& error)> done) {
  ops::load(ctx_, std::move(done));
}

void RoomsService::put_category(model::Category category, api::ErrorCallback done) {
  ops::put_category(ctx_, std::move(category), std::move(done));
}

void RoomsService::remove_category(const std::string& name, api::ErrorCallback done) {
  ops::remove_category(ctx_, name, std::move(done));
}

void RoomsService::purge_expired(std::function<void(std::optional<std::size_t>)> done) {
  ops::purge_expired(ctx_, std::move(done));
}

void RoomsService::note_account_removed(const model::Address& user) {
  ops::forget_user(ctx_, user);
}

std::size_t RoomsService::room_count() const {
  return ctx_->directory.size();
}

void RoomsService::join(api::JoinRequest request, api::RoomsCallback<api::JoinResult> done) {
  ops::join(ctx_, std::move(request), std::move(done));
}

void RoomsService::leave(const std::string& room, const api::RoomParticipant* participant) {
  ops::leave(ctx_, room, participant);
}

void RoomsService::leave_all(const api::RoomParticipant* participant) {
  ops::leave_all(ctx_, participant);
}

void RoomsService::post(api::PostRequest request,
                        api::RoomsCallback<std::shared_ptr<const model::RoomMessage>> done) {
  ops::post(ctx_, std::move(request), std::move(done));
}

void RoomsService::set_topic(const api::RoomActor& actor, const std::string& room,
                             std::string topic, api::ErrorCallback done) {
  ops::set_topic(ctx_, actor, room, std::move(topic), std::move(done));
}

void RoomsService::create_room(const api::RoomActor& actor, api::RoomSettings settings,
                               api::RoomsCallback<std::shared_ptr<const model::Room>> done) {
  ops::create_room(ctx_, actor, std::move(settings), std::move(done));
}

void RoomsService::modify_room(const api::RoomActor& actor, const std::string& room,
                               api::RoomSettings changes,
                               api::RoomsCallback<std::shared_ptr<const model::Room>> done) {
  ops::modify_room(ctx_, actor, room, std::move(changes), std::move(done));
}

void RoomsService::delete_room(const api::RoomActor& actor, const std::string& room,
                               std::string reason, api::ErrorCallback done) {
  ops::delete_room(ctx_, actor, room, std::move(reason), std::move(done));
}

void RoomsService::room_info(const api::RoomActor& actor, const std::string& room,
                             api::RoomsCallback<api::RoomInfo> done) {
  ops::room_info(ctx_, actor, room, std::move(done));
}

void RoomsService::search_rooms(
    const api::RoomActor& actor, api::RoomSearch query,
    api::RoomsCallback<std::vector<std::shared_ptr<const model::Room>>> done) {
  ops::search_rooms(ctx_, actor, std::move(query), std::move(done));
}

void RoomsService::categories(std::function<void(std::vector<model::Category>)> done) {
  if (done) done(ctx_->directory.categories());
}

void RoomsService::set_role(const api::RoomActor& actor, const std::string& room,
                            model::RoomMember member, api::ErrorCallback done) {
  ops::set_role(ctx_, actor, room, std::move(member), std::move(done));
}

void RoomsService::members(const api::RoomActor& actor, const std::string& room,
                           api::RoomsCallback<std::vector<model::RoomMember>> done) {
  ops::members(ctx_, actor, room, std::move(done));
}

void RoomsService::associations(const model::Address& user,
                                std::function<void(std::vector<api::Association>)> done) {
  ops::associations(ctx_, user, std::move(done));
}

void RoomsService::kick(const api::RoomActor& actor, const std::string& room,
                        const std::string& nickname, std::string reason, api::ErrorCallback done) {
  ops::kick(ctx_, actor, room, nickname, std::move(reason), std::move(done));
}

void RoomsService::ban(const api::RoomActor& actor, const std::string& room,
                       const model::Address& user, std::string reason, api::ErrorCallback done) {
  ops::ban(ctx_, actor, room, user, std::move(reason), std::move(done));
}

void RoomsService::unban(const api::RoomActor& actor, const std::string& room,
                         const model::Address& user, api::ErrorCallback done) {
  ops::unban(ctx_, actor, room, user, std::move(done));
}

void RoomsService::history(const api::RoomActor& actor, api::HistoryQuery query,
                           api::RoomsCallback<api::HistoryPage> done) {
  ops::history(ctx_, actor, std::move(query), std::move(done));
}

void RoomsService::search_messages(
    const api::RoomActor& actor, api::MessageSearch query,
    api::RoomsCallback<std::vector<std::shared_ptr<const model::RoomMessage>>> done) {
  ops::search_messages(ctx_, actor, std::move(query), std::move(done));
}

void RoomsService::invite(const api::RoomActor& actor, const std::string& room,
                          const model::Address& to, std::string reason, api::ErrorCallback done) {
  ops::invite(ctx_, actor, room, to, std::move(reason), std::move(done));
}

void RoomsService::invitations(const model::Address& user, bool unseen_only,
                               std::function<void(std::vector<model::Invitation>)> done) {
  ops::invitations(ctx_, user, unseen_only, std::move(done));
}

void RoomsService::mark_invitations_seen(const model::Address& user, const std::string& room,
                                         api::ErrorCallback done) {
  ops::mark_invitations_seen(ctx_, user, room, std::move(done));
}

void RoomsService::follow(const api::RoomActor& actor, const std::string& room,
                          api::ErrorCallback done) {
  ops::follow(ctx_, actor, room, std::move(done));
}

void RoomsService::unfollow(const api::RoomActor& actor, const std::string& room,
                            api::ErrorCallback done) {
  ops::unfollow(ctx_, actor, room, std::move(done));
}

void RoomsService::followed(const model::Address& user,
                            std::function<void(std::vector<api::FollowedRoom>)> done) {
  ops::followed(ctx_, user, std::move(done));
}

void RoomsService::mark_read(const api::RoomActor& actor, const std::string& room,
                             const std::string& message_id, api::ErrorCallback done) {
  ops::mark_read(ctx_, actor, room, message_id, std::move(done));
}

void RoomsService::watch(const model::Address& user, std::weak_ptr<api::RoomParticipant> watcher) {
  ctx_->watchers.add(user, std::move(watcher));
}

void RoomsService::unwatch(const model::Address& user, const api::RoomParticipant* watcher) {
  ctx_->watchers.remove(user, watcher);
}

}  // namespace parley::core::rooms
