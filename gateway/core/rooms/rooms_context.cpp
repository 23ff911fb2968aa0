#include "gateway/core/rooms/rooms_context.hpp"

#include <utility>

#include "gateway/log/log.hpp"

namespace parley::core::rooms {

std::shared_ptr<RoomState> RoomsContext::make_state(model::Room room) const {
  auto queue = SerialQueue::create(dispatcher,
                                   SerialQueueLimits{config.max_queued_tasks, config.drain_budget});
  return std::make_shared<RoomState>(std::move(room), std::move(queue));
}

model::StanzaError error(model::ErrorCondition condition, std::string text) {
  return model::StanzaError::make(condition, std::move(text));
}

api::ErrorCallback share_callback(api::ErrorCallback done) {
  auto holder = std::make_shared<api::ErrorCallback>(std::move(done));
  // By reference: g++ 12 with sanitizers warns (maybe-uninitialized) on moving a disengaged
  // optional through an inlined lambda.
  return [holder](const std::optional<model::StanzaError>& e) {
    if (*holder) (*holder)(e);
  };
}

void on_room(const Context& ctx, const std::string& room, RoomTask task, Failure fail) {
  auto state = ctx->directory.find(room);
  if (!state) {
    if (fail) fail(error(model::ErrorCondition::item_not_found, "no such room"));
    return;
  }
  auto shared_fail = std::make_shared<Failure>(std::move(fail));
  const bool queued = state->queue->try_post([ctx, state, task = std::move(task), shared_fail] {
    if (state->deleted) {
      if (*shared_fail)
        (*shared_fail)(error(model::ErrorCondition::item_not_found, "no such room"));
      return;
    }
    task(state);
  });
  if (!queued && *shared_fail) {
    (*shared_fail)(error(model::ErrorCondition::resource_constraint, "room busy"));
  }
}

void on_store(const Context& ctx, std::function<void(api::RoomStore&)> work,
              std::function<void(bool committed, const std::string& error)> done) {
  ctx->store.submit(api::RoomStoreJob{
      std::move(work), [ctx, done = std::move(done)](bool committed, const std::string& e) {
        if (!committed) PARLEY_LOG_WARN("rooms", "", "store_job_failed", {{"error", e}});
        if (done) done(committed, e);
      }});
}

std::optional<model::StanzaError> authorize(const RoomState& state, const api::RoomActor& actor,
                                            RoomAction action) {
  if (actor.admin) return std::nullopt;
  const auto& room = state.room;
  auto denied = check(action, room.privacy, room.type, state.role_of(actor.user));
  if (denied) return denied;
  const bool barred =
      action == RoomAction::join || action == RoomAction::read || action == RoomAction::post;
  if (barred && state.banned(actor.user)) {
    return error(model::ErrorCondition::forbidden, "banned from the room");
  }
  return std::nullopt;
}

model::StanzaError store_error(const std::string& detail) {
  if (detail.find("queue full") != std::string::npos) {
    return error(model::ErrorCondition::resource_constraint, "server busy, retry later");
  }
  if (detail.find("FOREIGN KEY") != std::string::npos) {
    return error(model::ErrorCondition::item_not_found, "no such user");
  }
  return error(model::ErrorCondition::internal_server_error, "storage failure");
}

void fan_out(const RoomState& state, const api::RoomEvent& event) {
  state.occupants.for_each_session(
      [&event](api::RoomParticipant& participant) { participant.deliver(event); });
}

void fan_out_except(const RoomState& state, const api::RoomEvent& event,
                    const api::RoomParticipant* except) {
  state.occupants.for_each_session([&event, except](api::RoomParticipant& participant) {
    if (&participant != except) participant.deliver(event);
  });
}

void save_settings(const Context& ctx, const std::shared_ptr<RoomState>& state,
                   std::shared_ptr<const api::ComplianceEvent> event,
                   std::function<void(std::optional<model::StanzaError>)> after) {
  auto settings = std::make_shared<const model::Room>(state->room);
  auto updated = std::make_shared<bool>(false);
  on_store(
      ctx,
      [ctx, settings, updated, event](api::RoomStore& store) {
        *updated = store.update_room(*settings);
        // Only a change that took effect is recorded (a name conflict changes nothing).
        if (*updated && event && ctx->compliance.outbox) ctx->compliance.outbox->append(*event);
      },
      [ctx, state, settings, updated, after = std::move(after)](bool committed,
                                                                const std::string& e) {
        state->queue->post([ctx, state, settings, updated, committed, e, after] {
          std::optional<model::StanzaError> failure;
          if (!committed) {
            failure = store_error(e);
          } else if (!*updated) {
            failure = error(model::ErrorCondition::conflict, "room name already taken");
          }
          if (failure) {
            state->room = *state->published;
          } else {
            state->published = settings;
            ctx->directory.set_snapshot(settings);
          }
          if (after) after(std::move(failure));
        });
      });
}

void remove_occupants(const Context& ctx, RoomState& state, std::vector<OccupantEntry> removed,
                      api::RemovalCause cause, const model::Address& by,
                      const std::string& reason) {
  for (auto& entry : removed) {
    const api::RoomEvent event =
        api::ParticipantRemoved{state.room.id, entry.occupant, cause, by.bare(), reason};
    // XEP-0045 §8.2: the removed occupant learns it too; the others see it as unavailable.
    for (const auto& session : entry.sessions) {
      session->deliver(event);
      forget_if_gone(ctx, state, session.get());
    }
    fan_out(state, event);
  }
}

void cancel_pending_joins(RoomState& state, const model::Address& user) {
  for (auto& join : state.pending_joins) {
    if (user.empty() || join.user == user.bare()) join.cancelled = true;
  }
}

void forget_if_gone(const Context& ctx, RoomState& state, const api::RoomParticipant* participant) {
  if (state.has_participant(participant)) return;
  ctx->participants.remove(participant, state.room.id);
  if (state.occupants.find_session(participant) == nullptr) state.sources.erase(participant);
}

}  // namespace parley::core::rooms
