// Roles, kicks and bans (XEP-0045 §8.2 kick, §9.1 ban, §9.3-§9.8 affiliations; XCCOS
// getassociations). Roles are applied in memory at once (later requests see them), announced
// after the commit, and rolled back in memory if the commit fails.
#include <algorithm>
#include <utility>

#include "gateway/core/rooms/room_compliance.hpp"
#include "gateway/core/rooms/room_operations.hpp"

namespace parley::core::rooms::ops {
namespace {

using model::ErrorCondition;
using model::RoomRole;

void assign(RoomState& state, const model::Address& user, RoomRole role) {
  if (role == RoomRole::none) {
    state.roles.erase(user);
  } else {
    state.roles[user] = role;
  }
}

// A role_change event: kick, ban and unban are role changes too (compliance.hpp), told apart
// by the "action" detail.
EventPtr role_event(const Context& ctx, const api::RoomActor& actor, const std::string& room,
                    const model::Address& member, std::string_view action, RoomRole role,
                    std::string reason) {
  EventFields fields;
  fields.peer = member.bare();
  fields.content = std::move(reason);
  fields.details = {{"action", std::string(action)},
                    {"role", std::string(model::room_role_name(role))}};
  return make_event(ctx, api::ComplianceEventKind::role_change, room, compliance_actor(actor),
                    std::move(fields));
}

std::vector<OccupantEntry> user_without_access(RoomState& state, const model::Address& user) {
  if (!authorize(state, api::RoomActor{user}, RoomAction::join)) return {};
  return state.occupants.remove_user(user);
}

}  // namespace

void set_role(const Context& ctx, const api::RoomActor& actor, const std::string& room,
              model::RoomMember member, api::ErrorCallback done) {
  auto finish = share_callback(std::move(done));
  if (member.user.empty()) return finish(error(ErrorCondition::bad_request, "no user"));
  member.user = member.user.bare();
  on_room(
      ctx, room,
      [ctx, actor, member, finish](const std::shared_ptr<RoomState>& state) {
        RoomState& s = *state;
        if (auto denied = authorize(s, actor, RoomAction::manage)) return finish(*denied);
        const RoomRole old_role = s.role_of(member.user);
        if (old_role == RoomRole::manager && member.role != RoomRole::manager &&
            s.manager_count() == 1) {
          // XEP-0045 §10.9 spirit: a room never loses its last owner.
          return finish(error(ErrorCondition::conflict, "a room keeps at least one manager"));
        }
        assign(s, member.user, member.role);
        const std::string id = s.room.id;
        const bool members_only = s.room.privacy != model::RoomPrivacy::open;
        EventPtr event = role_event(ctx, actor, id, member.user, "set_role", member.role, {});
        on_store(
            ctx,
            [ctx, id, member, members_only, event](api::RoomStore& store) {
              store.set_role(id, member);
              // Losing membership of a members-only room also drops it from the followed list.
              if (members_only && member.role == RoomRole::none) store.unfollow(member.user, id);
              append_event(ctx, event);
            },
            [ctx, state, actor, member, old_role, finish](bool committed, const std::string& e) {
              state->queue->post([ctx, state, actor, member, old_role, finish, committed, e] {
                RoomState& st = *state;
                if (!committed) {
                  assign(st, member.user, old_role);
                  return finish(store_error(e));
                }
                auto nicknames = st.occupants.set_role(member.user, member.role);
                if (nicknames.empty()) nicknames.emplace_back();
                for (const auto& nickname : nicknames) {
                  fan_out(st, api::ParticipantRoleChanged{st.room.id, member.user, nickname,
                                                          member.role});
                }
                remove_occupants(ctx, st, user_without_access(st, member.user),
                                 api::RemovalCause::access_revoked, actor.user,
                                 "membership revoked");
                finish(std::nullopt);
              });
            });
      },
      finish);
}

void members(const Context& ctx, const api::RoomActor& actor, const std::string& room,
             Done<std::vector<model::RoomMember>> done) {
  using Result = api::RoomsResult<std::vector<model::RoomMember>>;
  auto shared_done = std::make_shared<Done<std::vector<model::RoomMember>>>(std::move(done));
  auto fail = [shared_done](model::StanzaError e) {
    if (*shared_done) (*shared_done)(Result::failure(std::move(e)));
  };
  on_room(
      ctx, room,
      [actor, shared_done, fail](const std::shared_ptr<RoomState>& state) {
        if (auto denied = authorize(*state, actor, RoomAction::read)) return fail(*denied);
        std::vector<model::RoomMember> list;
        for (const auto& [user, role] : state->roles) list.push_back(model::RoomMember{user, role});
        if (*shared_done) (*shared_done)(std::move(list));
      },
      fail);
}

void associations(const Context& ctx, const model::Address& user,
                  std::function<void(std::vector<api::Association>)> done) {
  auto rows = std::make_shared<std::vector<api::RoomAssociation>>();
  const model::Address bare = user.bare();
  on_store(
      ctx, [bare, rows](api::RoomStore& store) { *rows = store.associations(bare); },
      [ctx, rows, done = std::move(done)](bool committed, const std::string&) {
        std::vector<api::Association> list;
        if (committed) {
          for (const auto& row : *rows) {
            if (auto room = ctx->directory.snapshot(row.room)) {
              list.push_back(api::Association{std::move(room), row.role});
            }
          }
        }
        if (done) done(std::move(list));
      });
}

namespace {

void kick_now(const Context& ctx, RoomState& s, const api::RoomActor& actor,
              const std::string& nickname, const std::string& reason,
              const api::ErrorCallback& finish) {
  std::vector<OccupantEntry> removed;
  if (auto kicked = s.occupants.remove_nickname(nickname)) removed.push_back(std::move(*kicked));
  remove_occupants(ctx, s, std::move(removed), api::RemovalCause::kicked, actor.user, reason);
  finish(std::nullopt);
}

}  // namespace

void kick(const Context& ctx, const api::RoomActor& actor, const std::string& room,
          const std::string& nickname, std::string reason, api::ErrorCallback done) {
  auto finish = share_callback(std::move(done));
  on_room(
      ctx, room,
      [ctx, actor, nickname, reason = std::move(reason),
       finish](const std::shared_ptr<RoomState>& state) {
        RoomState& s = *state;
        if (auto denied = authorize(s, actor, RoomAction::manage)) return finish(*denied);
        const auto* entry = s.occupants.find_nickname(nickname);
        if (entry == nullptr)
          return finish(error(ErrorCondition::item_not_found, "no such occupant"));
        if (!actor.admin && s.role_of(entry->occupant.user) == RoomRole::manager) {
          // XEP-0045 §8.2: a moderator cannot kick an admin or owner.
          return finish(error(ErrorCondition::not_allowed, "managers cannot be kicked"));
        }
        const model::Address target = entry->occupant.user;
        EventPtr event =
            role_event(ctx, actor, s.room.id, target, "kick", s.role_of(target), reason);
        if (!event) return kick_now(ctx, s, actor, nickname, reason, finish);
        // A kick writes nothing else: the event gets a store job of its own, and the kick takes
        // effect after it committed (no kick anyone saw without its event).
        on_store(
            ctx, [ctx, event](api::RoomStore&) { append_event(ctx, event); },
            [ctx, state, actor, nickname, reason, finish](bool committed, const std::string& e) {
              state->queue->post([ctx, state, actor, nickname, reason, finish, committed, e] {
                if (!committed) return finish(store_error(e));
                kick_now(ctx, *state, actor, nickname, reason, finish);
              });
            });
      },
      finish);
}

void ban(const Context& ctx, const api::RoomActor& actor, const std::string& room,
         const model::Address& user, std::string reason, api::ErrorCallback done) {
  auto finish = share_callback(std::move(done));
  if (user.empty()) return finish(error(ErrorCondition::bad_request, "no user"));
  const model::Address target = user.bare();
  on_room(
      ctx, room,
      [ctx, actor, target, reason = std::move(reason),
       finish](const std::shared_ptr<RoomState>& state) {
        RoomState& s = *state;
        if (auto denied = authorize(s, actor, RoomAction::manage)) return finish(*denied);
        const RoomRole old_role = s.role_of(target);
        if (!actor.admin && old_role == RoomRole::manager) {
          return finish(error(ErrorCondition::not_allowed, "managers cannot be banned"));
        }
        s.bans.insert(target);  // XEP-0045 §9.1: outcast replaces any affiliation
        s.roles.erase(target);
        cancel_pending_joins(s, target);
        const std::string id = s.room.id;
        EventPtr event = role_event(ctx, actor, id, target, "ban", RoomRole::none, reason);
        on_store(
            ctx,
            [ctx, id, target, event](api::RoomStore& store) {
              store.set_banned(id, target, true);
              store.set_role(id, model::RoomMember{target, RoomRole::none});
              store.unfollow(target, id);
              append_event(ctx, event);
            },
            [ctx, state, actor, target, old_role, reason, finish](bool committed,
                                                                  const std::string& e) {
              state->queue->post(
                  [ctx, state, actor, target, old_role, reason, finish, committed, e] {
                    RoomState& st = *state;
                    if (!committed) {
                      st.bans.erase(target);
                      assign(st, target, old_role);
                      return finish(store_error(e));
                    }
                    remove_occupants(ctx, st, st.occupants.remove_user(target),
                                     api::RemovalCause::banned, actor.user, reason);
                    finish(std::nullopt);
                  });
            });
      },
      finish);
}

void unban(const Context& ctx, const api::RoomActor& actor, const std::string& room,
           const model::Address& user, api::ErrorCallback done) {
  auto finish = share_callback(std::move(done));
  const model::Address target = user.bare();
  on_room(
      ctx, room,
      [ctx, actor, target, finish](const std::shared_ptr<RoomState>& state) {
        if (auto denied = authorize(*state, actor, RoomAction::manage)) return finish(*denied);
        const std::string id = state->room.id;
        EventPtr event = role_event(ctx, actor, id, target, "unban", state->role_of(target), {});
        on_store(
            ctx,
            [ctx, id, target, event](api::RoomStore& store) {
              store.set_banned(id, target, false);
              append_event(ctx, event);
            },
            [state, target, finish](bool committed, const std::string& e) {
              state->queue->post([state, target, finish, committed, e] {
                if (!committed) return finish(store_error(e));
                state->bans.erase(target);
                finish(std::nullopt);
              });
            });
      },
      finish);
}

void forget_user(const Context& ctx, const model::Address& user) {
  const model::Address bare = user.bare();
  for (const auto& state : ctx->directory.all()) {
    state->queue->post([state, bare] { state->roles.erase(bare); });
  }
}

}  // namespace parley::core::rooms::ops
