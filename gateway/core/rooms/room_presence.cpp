// Joining and leaving rooms (XEP-0045 §7.2, §7.14; XCCOS join/bjoin).
//
// Join ordering. A join reserves its nickname on the room's queue and notes the newest message
// id assigned so far (`start`); the history job is submitted from that same task, so every
// post with an id <= start is committed before it (the store completes jobs in submission
// order) and every later post commits after it. When the history arrives, the join completes
// back on the queue: the session is added, the others learn ParticipantJoined, and `done` gets
// the occupants and the history. Posts with ids <= start had their fan-out before that (their
// commits completed first) and are in the history; later ones fan out after, to the new
// session too. So each message reaches a joiner exactly once, history first.
#include <algorithm>
#include <utility>

#include "gateway/core/rooms/room_compliance.hpp"
#include "gateway/core/rooms/room_operations.hpp"
#include "gateway/core/rooms/room_validation.hpp"

namespace parley::core::rooms::ops {
namespace {

using model::ErrorCondition;
using SharedDone = std::shared_ptr<Done<api::JoinResult>>;

void fail(const SharedDone& done, model::StanzaError e) {
  if (*done) (*done)(api::RoomsResult<api::JoinResult>::failure(std::move(e)));
}

std::vector<MessagePtr> share(std::vector<model::RoomMessage> messages) {
  std::vector<MessagePtr> shared;
  shared.reserve(messages.size());
  for (auto& message : messages) {
    shared.push_back(std::make_shared<const model::RoomMessage>(std::move(message)));
  }
  return shared;
}

// Writes a room.leave event in a store job of its own (leaving writes nothing else).
void record_leave(const Context& ctx, const RoomState& s, const model::Address& user,
                  const api::RequestSource& source, const std::string& nickname,
                  std::string_view cause) {
  EventFields fields;
  fields.details = {{"nickname", nickname}, {"cause", std::string(cause)}};
  EventPtr event = make_event(ctx, api::ComplianceEventKind::room_leave, s.room.id,
                              compliance_actor(user, source), std::move(fields));
  if (!event) return;
  on_store(ctx, [ctx, event](api::RoomStore&) { append_event(ctx, event); }, {});
}

void activate(const Context& ctx, const std::shared_ptr<RoomState>& state, std::uint64_t token,
              std::vector<model::RoomMessage> history, const SharedDone& done) {
  RoomState& s = *state;
  auto* pending = s.pending_join(token);
  if (pending == nullptr) return;  // cannot happen: only this function erases
  PendingJoin join = std::move(*pending);
  s.pending_joins.erase(std::remove_if(s.pending_joins.begin(), s.pending_joins.end(),
                                       [token](const auto& j) { return j.token == token; }),
                        s.pending_joins.end());
  auto* raw = join.participant.get();
  auto give_up = [&](model::StanzaError e) {
    forget_if_gone(ctx, s, raw);
    // Its join event is in the trail already: the trail must show it ended.
    if (join.recorded) {
      record_leave(ctx, s, join.user, join.source, join.nickname, "join_failed");
    }
    fail(done, std::move(e));
  };
  if (s.deleted) return give_up(error(ErrorCondition::item_not_found, "no such room"));
  if (join.cancelled) return give_up(error(ErrorCondition::not_allowed, "join cancelled"));
  // The role or a ban may have changed while the history loaded.
  if (auto denied = authorize(s, api::RoomActor{join.user}, RoomAction::join)) {
    return give_up(*denied);
  }
  const api::Occupant self{join.nickname, join.user, s.role_of(join.user)};
  const auto outcome = s.occupants.add(self, join.participant);
  if (!outcome) return give_up(error(ErrorCondition::conflict, "nickname in use"));
  if (ctx->compliance.records(api::ComplianceEventKind::room_leave)) s.sources[raw] = join.source;
  if (*outcome == AddOutcome::new_occupant) {
    fan_out_except(s, api::ParticipantJoined{s.room.id, self}, raw);
  }
  if (*done) {
    (*done)(api::JoinResult{s.published, self, s.occupants.occupants(), share(std::move(history))});
  }
}

void join_in_room(const Context& ctx, const std::shared_ptr<RoomState>& state,
                  api::JoinRequest request, const SharedDone& done) {
  RoomState& s = *state;
  const model::Address user = request.user.bare();
  auto* raw = request.participant.get();
  auto give_up = [&](model::StanzaError e) {
    forget_if_gone(ctx, s, raw);
    fail(done, std::move(e));
  };
  if (auto denied = authorize(s, api::RoomActor{user}, RoomAction::join)) return give_up(*denied);

  if (const auto* entry = s.occupants.find_session(raw)) {
    if (entry->occupant.nickname != request.nickname) {
      return fail(done, error(ErrorCondition::not_acceptable,
                              "already in the room under another nickname"));
    }
    // Joining again (XEP-0045 §7.2: a client re-sending its join presence): the state again.
    if (*done) (*done)(api::JoinResult{s.published, entry->occupant, s.occupants.occupants(), {}});
    return;
  }
  if (s.has_participant(raw)) {
    return fail(done, error(ErrorCondition::not_acceptable, "join already in progress"));
  }
  if (s.occupants.nickname_taken_by_other(request.nickname, user) ||
      s.nickname_pending_for_other(request.nickname, user)) {
    return give_up(error(ErrorCondition::conflict, "nickname in use"));  // XEP-0045 §7.2.9
  }
  if (s.occupants.find_nickname(request.nickname) == nullptr &&
      s.occupants.occupant_count() + s.pending_joins.size() >= ctx->config.max_occupants) {
    return give_up(error(ErrorCondition::service_unavailable, "room full"));  // §7.2.11
  }

  const std::uint64_t token = s.next_join_token++;
  api::RequestSource source = request.source;
  if (source.endpoint.empty()) source.endpoint = request.user.to_string();
  const std::size_t wanted =
      std::min(request.history.max_messages.value_or(ctx->config.default_join_history),
               ctx->config.max_join_history);
  // Issue 6: the join event is written by the job that loads the join history (or a job of
  // its own), and the join completes only after that job committed.
  EventFields fields;
  fields.details = {{"nickname", request.nickname}, {"history", std::to_string(wanted)}};
  EventPtr event = make_event(ctx, api::ComplianceEventKind::room_join, s.room.id,
                              compliance_actor(user, source), std::move(fields));
  s.pending_joins.push_back(
      PendingJoin{token, request.participant, user, request.nickname, false, source, bool(event)});
  if (wanted == 0 && !event) return activate(ctx, state, token, {}, done);

  api::HistoryRange range;
  range.room = s.room.id;
  range.before = s.last_seq + 1;
  range.since = request.history.since;
  range.limit = wanted;
  range.order = model::HistoryOrder::newest_first;
  auto slice = std::make_shared<api::HistorySlice>();
  on_store(
      ctx,
      [ctx, range, slice, event](api::RoomStore& store) {
        if (range.limit > 0) *slice = store.history(range);
        append_event(ctx, event);
      },
      [ctx, state, token, slice, done](bool committed, const std::string& e) {
        state->queue->post([ctx, state, token, slice, done, committed, e] {
          if (committed) return activate(ctx, state, token, std::move(slice->messages), done);
          auto* pending = state->pending_join(token);
          const auto* raw_participant = pending ? pending->participant.get() : nullptr;
          state->pending_joins.erase(
              std::remove_if(state->pending_joins.begin(), state->pending_joins.end(),
                             [token](const auto& j) { return j.token == token; }),
              state->pending_joins.end());
          if (raw_participant != nullptr) forget_if_gone(ctx, *state, raw_participant);
          fail(done, store_error(e));
        });
      });
}

}  // namespace

void join(const Context& ctx, api::JoinRequest request, Done<api::JoinResult> done) {
  auto shared_done = std::make_shared<Done<api::JoinResult>>(std::move(done));
  if (!request.participant) {
    return fail(shared_done, error(ErrorCondition::bad_request, "no participant"));
  }
  if (!valid_nickname(request.nickname)) {
    return fail(shared_done, error(ErrorCondition::not_acceptable, "invalid nickname"));
  }
  const std::string room = request.room;
  const auto* raw = request.participant.get();
  // Indexed before queuing: a leave_all() that follows this call (same session strand) then
  // finds the room and its leave queues behind this join.
  ctx->participants.add(raw, room);
  on_room(
      ctx, room,
      [ctx, request = std::move(request), shared_done](const std::shared_ptr<RoomState>& state) {
        join_in_room(ctx, state, request, shared_done);
      },
      [ctx, room, raw, shared_done](model::StanzaError e) {
        if (auto state = ctx->directory.find(room)) {
          state->queue->post([ctx, state, raw] { forget_if_gone(ctx, *state, raw); });
        } else {
          ctx->participants.remove(raw, room);
        }
        fail(shared_done, std::move(e));
      });
}

void leave(const Context& ctx, const std::string& room, const api::RoomParticipant* participant) {
  auto state = ctx->directory.find(room);
  if (!state) {
    ctx->participants.remove(participant, room);
    return;
  }
  // post(), not try_post(): a leave must never be lost, or the room keeps a dead session.
  state->queue->post([ctx, state, participant] {
    RoomState& s = *state;
    for (auto& join : s.pending_joins) {
      if (join.participant.get() == participant) join.cancelled = true;
    }
    if (const auto* entry = s.occupants.find_session(participant)) {
      const auto source = s.sources.find(participant);
      record_leave(ctx, s, entry->occupant.user,
                   source == s.sources.end() ? api::RequestSource{} : source->second,
                   entry->occupant.nickname, "left");
    }
    if (auto left = s.occupants.remove_session(participant)) {
      fan_out(s, api::ParticipantLeft{s.room.id, std::move(*left)});
    }
    forget_if_gone(ctx, s, participant);
  });
}

void leave_all(const Context& ctx, const api::RoomParticipant* participant) {
  for (const auto& room : ctx->participants.rooms_of(participant)) leave(ctx, room, participant);
}

}  // namespace parley::core::rooms::ops
