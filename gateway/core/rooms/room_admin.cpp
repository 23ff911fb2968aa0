// Room life cycle and directory (XEP-0045 §10: create, configure, destroy; §6 discovery;
// XCCOS chansrch) and categories (administrators).
#include <algorithm>
#include <utility>

#include "gateway/core/rooms/room_compliance.hpp"
#include "gateway/core/rooms/room_operations.hpp"
#include "gateway/core/rooms/room_validation.hpp"

namespace parley::core::rooms::ops {
namespace {

using model::ErrorCondition;

constexpr std::size_t kMaxTextBytes = 4096;  // description, topic
constexpr std::size_t kMaxKeywords = 32;
constexpr std::size_t kMaxKeywordBytes = 64;

std::optional<model::StanzaError> check_texts(const api::RoomSettings& settings) {
  if (settings.name && !valid_room_name(*settings.name)) {
    return error(ErrorCondition::not_acceptable, "invalid room name");
  }
  if ((settings.description && settings.description->size() > kMaxTextBytes) ||
      (settings.topic && settings.topic->size() > kMaxTextBytes)) {
    return error(ErrorCondition::not_acceptable, "text too long");
  }
  if (settings.keywords) {
    if (settings.keywords->size() > kMaxKeywords) {
      return error(ErrorCondition::not_acceptable, "too many keywords");
    }
    for (const auto& keyword : *settings.keywords) {
      if (keyword.empty() || keyword.size() > kMaxKeywordBytes) {
        return error(ErrorCondition::not_acceptable, "invalid keyword");
      }
    }
  }
  return std::nullopt;
}

bool may_create(const api::RoomActor& actor, const model::Category& category) {
  if (actor.admin) return true;
  const model::Address user = actor.user.bare();
  return std::any_of(
      category.creators.begin(), category.creators.end(), [&user](const model::Address& creator) {
        // A bare domain stands for every user of that domain.
        return creator == user || (creator.local().empty() && creator.domain() == user.domain());
      });
}

// Reserves an id: the requested one, or one derived from the name ("name", "name-2", ...).
model::Expected<std::string, model::StanzaError> reserve_id(const Context& ctx,
                                                            const api::RoomSettings& settings) {
  using Result = model::Expected<std::string, model::StanzaError>;
  const std::string& name = *settings.name;
  if (settings.id) {
    if (!valid_room_id(*settings.id)) {
      return Result::failure(error(ErrorCondition::not_acceptable, "invalid room id"));
    }
    switch (ctx->directory.reserve(*settings.id, name)) {
      case RoomDirectory::Reservation::ok:
        return *settings.id;
      case RoomDirectory::Reservation::id_taken:
        return Result::failure(error(ErrorCondition::conflict, "room id already taken"));
      case RoomDirectory::Reservation::name_taken:
        break;
    }
    return Result::failure(error(ErrorCondition::conflict, "room name already taken"));
  }
  const std::string base = room_id_from_name(name);
  for (int n = 1; n <= 100; ++n) {
    const std::string id = n == 1 ? base : base + "-" + std::to_string(n);
    switch (ctx->directory.reserve(id, name)) {
      case RoomDirectory::Reservation::ok:
        return id;
      case RoomDirectory::Reservation::id_taken:
        continue;
      case RoomDirectory::Reservation::name_taken:
        return Result::failure(error(ErrorCondition::conflict, "room name already taken"));
    }
  }
  return Result::failure(error(ErrorCondition::conflict, "no free room id for this name"));
}

// Occupants who may no longer be in the room after a settings or role change.
std::vector<OccupantEntry> without_access(RoomState& state) {
  std::vector<std::string> nicknames;
  for (const auto& occupant : state.occupants.occupants()) {
    if (authorize(state, api::RoomActor{occupant.user}, RoomAction::join)) {
      nicknames.push_back(occupant.nickname);
    }
  }
  std::vector<OccupantEntry> removed;
  for (const auto& nickname : nicknames) {
    if (auto entry = state.occupants.remove_nickname(nickname))
      removed.push_back(std::move(*entry));
  }
  return removed;
}

}  // namespace

void create_room(const Context& ctx, const api::RoomActor& actor, api::RoomSettings settings,
                 Done<RoomPtr> done) {
  auto fail = [&done](model::StanzaError e) {
    if (done) done(api::RoomsResult<RoomPtr>::failure(std::move(e)));
  };
  if (!settings.name) return fail(error(ErrorCondition::not_acceptable, "a room needs a name"));
  if (auto bad = check_texts(settings)) return fail(*bad);
  const auto category = ctx->directory.category(settings.category.value_or(""));
  if (!category) return fail(error(ErrorCondition::item_not_found, "no such category"));
  if (!may_create(actor, *category)) {
    return fail(error(ErrorCondition::forbidden, "not a room creator in this category"));
  }
  auto id = reserve_id(ctx, settings);
  if (!id) return fail(id.error());

  model::Room room;
  room.id = *id;
  room.name = *settings.name;
  room.description = settings.description.value_or("");
  room.topic = settings.topic.value_or("");
  room.keywords = settings.keywords.value_or(std::vector<std::string>{});
  room.category = category->name;
  room.type = settings.type.value_or(model::RoomType::normal);
  room.privacy = settings.privacy.value_or(model::RoomPrivacy::open);
  room.created = ctx->clock();
  const model::Address creator = actor.user.bare();
  auto created = std::make_shared<bool>(false);
  api::RoomSettings recorded = settings;
  recorded.id = room.id;
  recorded.category = room.category;
  EventFields fields;
  fields.details = settings_details(recorded);
  EventPtr event = make_event(ctx, api::ComplianceEventKind::room_create, room.id,
                              compliance_actor(actor), std::move(fields));
  on_store(
      ctx,
      [ctx, room, creator, created, event](api::RoomStore& store) {
        *created = store.create_room(room, creator);
        if (*created) append_event(ctx, event);
      },
      [ctx, room, creator, created, done = std::move(done)](bool committed, const std::string& e) {
        if (!committed || !*created) {
          ctx->directory.cancel(room.id, room.name);
          if (done) {
            done(api::RoomsResult<RoomPtr>::failure(
                committed ? error(ErrorCondition::conflict, "room id or name already taken")
                          : store_error(e)));
          }
          return;
        }
        auto state = ctx->make_state(room);
        if (!creator.empty()) state->roles[creator] = model::RoomRole::manager;
        RoomPtr published = state->published;
        ctx->directory.publish(std::move(state));
        if (done) done(published);
      });
}

void modify_room(const Context& ctx, const api::RoomActor& actor, const std::string& room,
                 api::RoomSettings changes, Done<RoomPtr> done) {
  auto shared_done = std::make_shared<Done<RoomPtr>>(std::move(done));
  auto fail = [shared_done](model::StanzaError e) {
    if (*shared_done) (*shared_done)(api::RoomsResult<RoomPtr>::failure(std::move(e)));
  };
  if (auto bad = check_texts(changes)) return fail(*bad);
  on_room(
      ctx, room,
      [ctx, actor, changes = std::move(changes), shared_done,
       fail](const std::shared_ptr<RoomState>& state) {
        RoomState& s = *state;
        if (auto denied = authorize(s, actor, RoomAction::manage)) return fail(*denied);
        if (changes.id && *changes.id != s.room.id) {
          return fail(error(ErrorCondition::not_acceptable, "a room id never changes"));
        }
        if (changes.category && !ctx->directory.category(*changes.category)) {
          return fail(error(ErrorCondition::item_not_found, "no such category"));
        }
        const std::string old_name = s.room.name;
        const bool renamed = changes.name && *changes.name != old_name;
        if (renamed && !ctx->directory.reserve_name(*changes.name, s.room.id)) {
          return fail(error(ErrorCondition::conflict, "room name already taken"));
        }
        model::Room& r = s.room;
        if (changes.name) r.name = *changes.name;
        if (changes.description) r.description = *changes.description;
        if (changes.topic) r.topic = *changes.topic;
        if (changes.keywords) r.keywords = *changes.keywords;
        if (changes.category) r.category = *changes.category;
        if (changes.type) r.type = *changes.type;
        if (changes.privacy) r.privacy = *changes.privacy;
        const std::string new_name = r.name;
        EventFields fields;
        fields.details = settings_details(changes);
        EventPtr event = make_event(ctx, api::ComplianceEventKind::room_modify, s.room.id,
                                    compliance_actor(actor), std::move(fields));
        save_settings(ctx, state, std::move(event),
                      [ctx, state, actor, renamed, old_name, new_name, shared_done,
                       fail](std::optional<model::StanzaError> failure) {
                        const std::string& id = state->room.id;
                        if (failure) {
                          if (renamed) ctx->directory.release_name(new_name, id);
                          return fail(*failure);
                        }
                        if (renamed) ctx->directory.release_name(old_name, id);
                        fan_out(*state, api::RoomChanged{state->published});
                        // A room turned closed or secret keeps only those who may still join
                        // (XEP-0045 §9.5 status 322).
                        remove_occupants(ctx, *state, without_access(*state),
                                         api::RemovalCause::access_revoked, actor.user,
                                         "the room is now members-only");
                        if (*shared_done) (*shared_done)(state->published);
                      });
      },
      fail);
}

void delete_room(const Context& ctx, const api::RoomActor& actor, const std::string& room,
                 std::string reason, api::ErrorCallback done) {
  auto finish = share_callback(std::move(done));
  on_room(
      ctx, room,
      [ctx, actor, reason = std::move(reason), finish](const std::shared_ptr<RoomState>& state) {
        if (auto denied = authorize(*state, actor, RoomAction::manage)) return finish(*denied);
        state->deleted = true;  // from now on new work gets item-not-found
        cancel_pending_joins(*state, {});
        const std::string id = state->room.id;
        EventFields fields;
        fields.content = reason;
        EventPtr event = make_event(ctx, api::ComplianceEventKind::room_delete, id,
                                    compliance_actor(actor), std::move(fields));
        on_store(
            ctx,
            [ctx, id, event](api::RoomStore& store) {
              store.remove_room(id);
              append_event(ctx, event);
            },
            [ctx, state, reason, finish](bool committed, const std::string& e) {
              state->queue->post([ctx, state, reason, finish, committed, e] {
                RoomState& s = *state;
                if (!committed) {
                  s.deleted = false;
                  return finish(store_error(e));
                }
                // XEP-0045 §10.9: every occupant learns the room is gone.
                fan_out(s, api::RoomDeleted{s.room.id, reason});
                for (const auto& entry : s.occupants.entries()) {
                  s.occupants.remove_nickname(entry.occupant.nickname);
                  for (const auto& session : entry.sessions) {
                    forget_if_gone(ctx, s, session.get());
                  }
                }
                ctx->directory.remove(s.room.id);
                finish(std::nullopt);
              });
            });
      },
      finish);
}

void room_info(const Context& ctx, const api::RoomActor& actor, const std::string& room,
               Done<api::RoomInfo> done) {
  auto shared_done = std::make_shared<Done<api::RoomInfo>>(std::move(done));
  auto fail = [shared_done](model::StanzaError e) {
    if (*shared_done) (*shared_done)(api::RoomsResult<api::RoomInfo>::failure(std::move(e)));
  };
  on_room(
      ctx, room,
      [actor, shared_done, fail](const std::shared_ptr<RoomState>& state) {
        if (auto denied = authorize(*state, actor, RoomAction::find)) return fail(*denied);
        if (*shared_done) {
          (*shared_done)(api::RoomInfo{state->published, state->role_of(actor.user),
                                       state->occupants.occupant_count()});
        }
      },
      fail);
}

void search_rooms(const Context& ctx, const api::RoomActor& actor, api::RoomSearch query,
                  Done<std::vector<RoomPtr>> done) {
  api::RoomSearchQuery store_query;
  store_query.text = std::move(query.text);
  store_query.category = std::move(query.category);
  store_query.viewer = actor.user.bare();
  store_query.all_rooms = actor.admin;
  store_query.limit = std::min(query.limit, ctx->config.max_page);
  auto rooms = std::make_shared<std::vector<model::Room>>();
  on_store(
      ctx,
      [store_query, rooms](api::RoomStore& store) { *rooms = store.search_rooms(store_query); },
      [rooms, done = std::move(done)](bool committed, const std::string& e) {
        if (!done) return;
        if (!committed)
          return done(api::RoomsResult<std::vector<RoomPtr>>::failure(store_error(e)));
        std::vector<RoomPtr> found;
        found.reserve(rooms->size());
        for (auto& room : *rooms)
          found.push_back(std::make_shared<const model::Room>(std::move(room)));
        done(std::move(found));
      });
}

void put_category(const Context& ctx, model::Category category, api::ErrorCallback done) {
  if (category.name.empty() || category.name.size() > kMaxRoomNameBytes ||
      category.retention.count() < 0) {
    if (done) done(error(ErrorCondition::not_acceptable, "invalid category"));
    return;
  }
  auto stored = std::make_shared<const model::Category>(std::move(category));
  on_store(
      ctx, [stored](api::RoomStore& store) { store.put_category(*stored); },
      [ctx, stored, done = std::move(done)](bool committed, const std::string& e) {
        if (committed) ctx->directory.put_category(*stored);
        if (done) done(committed ? std::nullopt : std::optional(store_error(e)));
      });
}

void remove_category(const Context& ctx, const std::string& name, api::ErrorCallback done) {
  if (!ctx->directory.category(name)) {
    if (done) done(error(ErrorCondition::item_not_found, "no such category"));
    return;
  }
  auto removed = std::make_shared<bool>(false);
  on_store(
      ctx, [name, removed](api::RoomStore& store) { *removed = store.remove_category(name); },
      [ctx, name, removed, done = std::move(done)](bool committed, const std::string& e) {
        if (committed && *removed) ctx->directory.remove_category(name);
        if (!done) return;
        if (!committed) return done(store_error(e));
        if (!*removed) return done(error(ErrorCondition::not_allowed, "rooms still use it"));
        done(std::nullopt);
      });
}

}  // namespace parley::core::rooms::ops
