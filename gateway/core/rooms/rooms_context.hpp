#pragma once
// What the rooms operations share: configuration, injected collaborators, the directory and
// the indexes. Owned by RoomsService through a shared_ptr that every queued task and store job
// holds, so the service object may go away while work is still queued.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gateway/api/compliance.hpp"
#include "gateway/api/room_store.hpp"
#include "gateway/api/rooms.hpp"
#include "gateway/core/rooms/participant_index.hpp"
#include "gateway/core/rooms/room_directory.hpp"
#include "gateway/core/rooms/room_policy.hpp"
#include "gateway/core/rooms/room_state.hpp"
#include "gateway/core/rooms/rooms_config.hpp"
#include "gateway/core/rooms/serial_queue.hpp"

namespace parley::core::rooms {

struct RoomsContext;
using Context = std::shared_ptr<RoomsContext>;
using RoomTask = std::function<void(const std::shared_ptr<RoomState>&)>;
using Failure = std::function<void(model::StanzaError)>;

struct RoomsContext {
  RoomsContext(RoomsConfig cfg, api::RoomStoreExecutor& executor, RoomsClock clk,
               Dispatcher dispatch, api::ComplianceRecorder recorder)
      : config(cfg),
        store(executor),
        clock(std::move(clk)),
        dispatcher(std::move(dispatch)),
        compliance(recorder),
        watchers(cfg.max_watchers_per_user) {}

  const RoomsConfig config;
  api::RoomStoreExecutor& store;
  const RoomsClock clock;
  const Dispatcher dispatcher;
  // The outbox is only touched inside store jobs (room_compliance.hpp).
  const api::ComplianceRecorder compliance;
  RoomDirectory directory;
  ParticipantIndex participants;
  WatcherTable watchers;
  std::atomic<std::int64_t> last_seq{0};  // process-wide message sequence (ids)

  std::shared_ptr<RoomState> make_state(model::Room room) const;
};

// Runs `task` on the room's serial queue. `fail` gets item-not-found for an unknown or deleted
// room and resource-constraint when the room's queue is full.
void on_room(const Context& ctx, const std::string& room, RoomTask task, Failure fail);

// Runs `work` on the store thread; `done(committed, error)` after the commit.
void on_store(const Context& ctx, std::function<void(api::RoomStore&)> work,
              std::function<void(bool committed, const std::string& error)> done);

// The policy decision for `actor` in this room, with the administrator bypass and bans
// (XEP-0045 §7.2.7: banned users get forbidden on join; here also on read and post).
std::optional<model::StanzaError> authorize(const RoomState& state, const api::RoomActor& actor,
                                            RoomAction action);

// A failed store job as the error the client sees: a full store queue is resource-constraint
// (wait and retry), a missing account behind a foreign key is item-not-found, anything else
// internal-server-error. The detail goes to the log, not to the client.
model::StanzaError store_error(const std::string& error);

model::StanzaError error(model::ErrorCondition condition, std::string text = {});

// Wraps a one-shot callback so copies of it can sit on several paths (success, failure).
api::ErrorCallback share_callback(api::ErrorCallback done);

// Delivers `event` to every session in the room (deliver() only enqueues).
void fan_out(const RoomState& state, const api::RoomEvent& event);

// Removes occupants (kick, ban, revoked access, deletion): each removed session and everyone
// remaining learn ParticipantRemoved; the index forgets the sessions.
void remove_occupants(const Context& ctx, RoomState& state, std::vector<OccupantEntry> removed,
                      api::RemovalCause cause, const model::Address& by, const std::string& reason);

// Cancels pending joins of `user` (all users when empty); their `done` learns it on arrival.
void cancel_pending_joins(RoomState& state, const model::Address& user);

// Delivers `event` to every session except `except`.
void fan_out_except(const RoomState& state, const api::RoomEvent& event,
                    const api::RoomParticipant* except);

// Persists state.room (the settings as changed in memory by the caller, on the queue). After
// the commit, back on the queue: on success `published` and the directory snapshot are the new
// settings; on failure the in-memory settings return to the published ones. Then `after`.
// `event` (may be null) is appended in the same store job as the settings.
void save_settings(const Context& ctx, const std::shared_ptr<RoomState>& state,
                   std::shared_ptr<const api::ComplianceEvent> event,
                   std::function<void(std::optional<model::StanzaError>)> after);

// Drops the participant from the index when it has nothing left in the room.
void forget_if_gone(const Context& ctx, RoomState& state, const api::RoomParticipant* participant);

}  // namespace parley::core::rooms
