#pragma once
// The operations behind RoomsService, grouped by file:
//   room_presence.cpp   join, leave, leave_all (XEP-0045 §7.2, §7.14)
//   room_posting.cpp    post and its fan-out, topic (§7.4, §8.1)
//   room_admin.cpp      create, modify, delete, info, search, categories (§10)
//   room_roles.cpp      roles, members, associations, kick, ban (§8, §9)
//   room_archive.cpp    history paging, full-text search, retention (XEP-0313)
//   room_user_state.cpp invitations, followed rooms, read marks, watchers, load
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/core/rooms/rooms_context.hpp"

namespace parley::core::rooms::ops {

template <class T>
using Done = api::RoomsCallback<T>;
using RoomPtr = std::shared_ptr<const model::Room>;
using MessagePtr = std::shared_ptr<const model::RoomMessage>;

void join(const Context& ctx, api::JoinRequest request, Done<api::JoinResult> done);
void leave(const Context& ctx, const std::string& room, const api::RoomParticipant* participant);
void leave_all(const Context& ctx, const api::RoomParticipant* participant);

void post(const Context& ctx, api::PostRequest request, Done<MessagePtr> done);
void set_topic(const Context& ctx, const api::RoomActor& actor, const std::string& room,
               std::string topic, api::ErrorCallback done);

void create_room(const Context& ctx, const api::RoomActor& actor, api::RoomSettings settings,
                 Done<RoomPtr> done);
void modify_room(const Context& ctx, const api::RoomActor& actor, const std::string& room,
                 api::RoomSettings changes, Done<RoomPtr> done);
void delete_room(const Context& ctx, const api::RoomActor& actor, const std::string& room,
                 std::string reason, api::ErrorCallback done);
void room_info(const Context& ctx, const api::RoomActor& actor, const std::string& room,
               Done<api::RoomInfo> done);
void search_rooms(const Context& ctx, const api::RoomActor& actor, api::RoomSearch query,
                  Done<std::vector<RoomPtr>> done);
void put_category(const Context& ctx, model::Category category, api::ErrorCallback done);
void remove_category(const Context& ctx, const std::string& name, api::ErrorCallback done);

void set_role(const Context& ctx, const api::RoomActor& actor, const std::string& room,
              model::RoomMember member, api::ErrorCallback done);
void members(const Context& ctx, const api::RoomActor& actor, const std::string& room,
             Done<std::vector<model::RoomMember>> done);
void associations(const Context& ctx, const model::Address& user,
                  std::function<void(std::vector<api::Association>)> done);
void kick(const Context& ctx, const api::RoomActor& actor, const std::string& room,
          const std::string& nickname, std::string reason, api::ErrorCallback done);
void ban(const Context& ctx, const api::RoomActor& actor, const std::string& room,
         const model::Address& user, std::string reason, api::ErrorCallback done);
void unban(const Context& ctx, const api::RoomActor& actor, const std::string& room,
           const model::Address& user, api::ErrorCallback done);
void forget_user(const Context& ctx, const model::Address& user);

void history(const Context& ctx, const api::RoomActor& actor, api::HistoryQuery query,
             Done<api::HistoryPage> done);
void search_messages(const Context& ctx, const api::RoomActor& actor, api::MessageSearch query,
                     Done<std::vector<MessagePtr>> done);
void purge_expired(const Context& ctx, std::function<void(std::optional<std::size_t>)> done);

void invite(const Context& ctx, const api::RoomActor& actor, const std::string& room,
            const model::Address& to, std::string reason, api::ErrorCallback done);
void invitations(const Context& ctx, const model::Address& user, bool unseen_only,
                 std::function<void(std::vector<model::Invitation>)> done);
void mark_invitations_seen(const Context& ctx, const model::Address& user, const std::string& room,
                           api::ErrorCallback done);
void follow(const Context& ctx, const api::RoomActor& actor, const std::string& room,
            api::ErrorCallback done);
void unfollow(const Context& ctx, const api::RoomActor& actor, const std::string& room,
              api::ErrorCallback done);
void followed(const Context& ctx, const model::Address& user,
              std::function<void(std::vector<api::FollowedRoom>)> done);
void mark_read(const Context& ctx, const api::RoomActor& actor, const std::string& room,
               const std::string& message_id, api::ErrorCallback done);

// Loads categories, rooms, roles, bans and the message sequence; replaces the directory.
void load(const Context& ctx, std::function<void(bool ok, const std::string& error)> done);

}  // namespace parley::core::rooms::ops
