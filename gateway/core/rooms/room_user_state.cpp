// Per-user room state: invitations (XEP-0045 §7.8.2 mediated invitations; XCCOS getinv), the
// server-side followed list with unread counts (XCCOS bjoin, seed 000 "new content"
// notification) and read marks; plus loading everything at start.
#include <map>
#include <utility>

#include "gateway/core/rooms/room_compliance.hpp"
#include "gateway/core/rooms/room_operations.hpp"

namespace parley::core::rooms::ops {
namespace {

using model::ErrorCondition;

}  // namespace

void invite(const Context& ctx, const api::RoomActor& actor, const std::string& room,
            const model::Address& to, std::string reason, api::ErrorCallback done) {
  auto finish = share_callback(std::move(done));
  if (to.empty() || to.local().empty())
    return finish(error(ErrorCondition::jid_malformed, "no invitee"));
  const model::Address target = to.bare();
  on_room(
      ctx, room,
      [ctx, actor, target, reason = std::move(reason),
       finish](const std::shared_ptr<RoomState>& state) {
        RoomState& s = *state;
        if (auto denied = authorize(s, actor, RoomAction::invite)) return finish(*denied);
        const auto category = ctx->directory.category(s.room.category);
        if (!actor.admin && category && !category->invitations_allowed) {
          return finish(error(ErrorCondition::not_allowed, "invitations are off in this category"));
        }
        if (s.banned(target)) return finish(error(ErrorCondition::not_allowed, "user is banned"));
        // An invitation to a members-only room makes the invitee a member (XEP-0045 §7.8.2:
        // the room "MAY add the invitee to the member list"); here it always does, or the
        // invitation could not be accepted.
        const bool grant = s.room.privacy != model::RoomPrivacy::open &&
                           s.role_of(target) == model::RoomRole::none;
        if (grant) s.roles[target] = model::RoomRole::member;
        const model::Invitation invitation{s.room.id, actor.user.bare(), target,
                                           reason,    ctx->clock(),      false};
        EventFields fields;
        fields.peer = target;
        fields.content = invitation.reason;
        if (grant) fields.details.emplace_back("granted_role", "member");
        EventPtr event = make_event(ctx, api::ComplianceEventKind::invitation, s.room.id,
                                    compliance_actor(actor), std::move(fields));
        on_store(
            ctx,
            [ctx, invitation, grant, event](api::RoomStore& store) {
              if (grant) {
                store.set_role(invitation.room,
                               model::RoomMember{invitation.to, model::RoomRole::member});
              }
              store.put_invitation(invitation);
              append_event(ctx, event);
            },
            [ctx, state, invitation, grant, finish](bool committed, const std::string& e) {
              state->queue->post([ctx, state, invitation, grant, finish, committed, e] {
                if (!committed) {
                  if (grant) state->roles.erase(invitation.to);
                  return finish(store_error(e));
                }
                for (const auto& watcher : ctx->watchers.of(invitation.to)) {
                  watcher->deliver(api::InvitationReceived{invitation});
                }
                finish(std::nullopt);
              });
            });
      },
      finish);
}

void invitations(const Context& ctx, const model::Address& user, bool unseen_only,
                 std::function<void(std::vector<model::Invitation>)> done) {
  auto list = std::make_shared<std::vector<model::Invitation>>();
  const model::Address bare = user.bare();
  on_store(
      ctx,
      [bare, unseen_only, list](api::RoomStore& store) {
        *list = store.invitations(bare, unseen_only);
      },
      [list, done = std::move(done)](bool committed, const std::string&) {
        if (!committed) list->clear();
        if (done) done(std::move(*list));
      });
}

void mark_invitations_seen(const Context& ctx, const model::Address& user, const std::string& room,
                           api::ErrorCallback done) {
  const model::Address bare = user.bare();
  on_store(
      ctx, [bare, room](api::RoomStore& store) { store.mark_invitations_seen(bare, room); },
      [done = std::move(done)](bool committed, const std::string& e) {
        if (done) done(committed ? std::nullopt : std::optional(store_error(e)));
      });
}

void follow(const Context& ctx, const api::RoomActor& actor, const std::string& room,
            api::ErrorCallback done) {
  auto finish = share_callback(std::move(done));
  on_room(
      ctx, room,
      [ctx, actor, finish](const std::shared_ptr<RoomState>& state) {
        if (auto denied = authorize(*state, actor, RoomAction::read)) return finish(*denied);
        const std::string id = state->room.id;
        const model::Address user = actor.user.bare();
        on_store(
            ctx, [user, id](api::RoomStore& store) { store.follow(user, id); },
            [finish](bool committed, const std::string& e) {
              finish(committed ? std::nullopt : std::optional(store_error(e)));
            });
      },
      finish);
}

void unfollow(const Context& ctx, const api::RoomActor& actor, const std::string& room,
              api::ErrorCallback done) {
  const model::Address user = actor.user.bare();
  on_store(
      ctx, [user, room](api::RoomStore& store) { store.unfollow(user, room); },
      [done = std::move(done)](bool committed, const std::string& e) {
        if (done) done(committed ? std::nullopt : std::optional(store_error(e)));
      });
}

void followed(const Context& ctx, const model::Address& user,
              std::function<void(std::vector<api::FollowedRoom>)> done) {
  auto rows = std::make_shared<std::vector<api::FollowedRow>>();
  const model::Address bare = user.bare();
  on_store(
      ctx, [bare, rows](api::RoomStore& store) { *rows = store.followed(bare); },
      [ctx, rows, done = std::move(done)](bool committed, const std::string&) {
        std::vector<api::FollowedRoom> list;
        if (committed) {
          for (const auto& row : *rows) {
            auto room = ctx->directory.snapshot(row.room);
            if (!room) continue;
            std::optional<std::string> last_read;
            if (row.last_read) last_read = model::room_message_id(*row.last_read);
            list.push_back(api::FollowedRoom{std::move(room), std::move(last_read), row.unread});
          }
        }
        if (done) done(std::move(list));
      });
}

void mark_read(const Context& ctx, const api::RoomActor& actor, const std::string& room,
               const std::string& message_id, api::ErrorCallback done) {
  const auto sequence = model::parse_room_message_id(message_id);
  if (!sequence) {
    if (done) done(error(ErrorCondition::item_not_found, "no such message"));
    return;
  }
  if (!ctx->directory.find(room)) {
    if (done) done(error(ErrorCondition::item_not_found, "no such room"));
    return;
  }
  const model::Address user = actor.user.bare();
  const std::int64_t seq = *sequence;
  on_store(
      ctx, [user, room, seq](api::RoomStore& store) { store.mark_read(user, room, seq); },
      [done = std::move(done)](bool committed, const std::string& e) {
        if (done) done(committed ? std::nullopt : std::optional(store_error(e)));
      });
}

void load(const Context& ctx, std::function<void(bool ok, const std::string& error)> done) {
  struct Loaded {
    std::vector<model::Category> categories;
    std::vector<model::Room> rooms;
    std::map<std::string, std::vector<model::RoomMember>> members;
    std::map<std::string, std::vector<model::Address>> bans;
    std::map<std::string, std::int64_t> last_of;
    std::int64_t last = 0;
  };
  auto loaded = std::make_shared<Loaded>();
  on_store(
      ctx,
      [loaded](api::RoomStore& store) {
        loaded->categories = store.categories();
        loaded->rooms = store.rooms();
        for (const auto& room : loaded->rooms) {
          loaded->members[room.id] = store.members(room.id);
          loaded->bans[room.id] = store.bans(room.id);
          loaded->last_of[room.id] = store.last_sequence_of(room.id).value_or(0);
        }
        loaded->last = store.last_sequence();
      },
      [ctx, loaded, done = std::move(done)](bool committed, const std::string& e) {
        if (!committed) {
          if (done) done(false, e);
          return;
        }
        std::vector<std::shared_ptr<RoomState>> states;
        for (auto& room : loaded->rooms) {
          const std::string id = room.id;
          auto state = ctx->make_state(std::move(room));
          for (const auto& member : loaded->members[id]) state->roles[member.user] = member.role;
          for (const auto& user : loaded->bans[id]) state->bans.insert(user);
          state->last_seq = loaded->last_of[id];
          states.push_back(std::move(state));
        }
        // Never hand out an id again, even one of a purged message or a deleted room.
        std::int64_t current = ctx->last_seq.load();
        while (current < loaded->last &&
               !ctx->last_seq.compare_exchange_weak(current, loaded->last)) {
        }
        ctx->directory.install(std::move(loaded->categories), std::move(states));
        if (done) done(true, {});
      });
}

}  // namespace parley::core::rooms::ops
