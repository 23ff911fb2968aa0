// Posting to a room (XEP-0045 §7.4, XCCOS grpchat) and changing its topic (§8.1).
//
// Fan-out happens after COMMIT: nothing is shown that could still be lost, and a reader who
// sees a message can always find it again in the history. The cost is the group-commit
// latency on every message; the store batches, so under load many posts share one commit.
// One RoomMessage object is shared by every recipient (RoomMessagePosted holds a
// shared_ptr<const>), so fan-out to N sessions is N enqueues, not N copies.
#include <utility>

#include "gateway/core/rooms/room_compliance.hpp"
#include "gateway/core/rooms/room_operations.hpp"

namespace parley::core::rooms::ops {
namespace {

using model::ErrorCondition;

std::string nickname_of(const RoomState& state, const model::Address& user) {
  for (const auto& occupant : state.occupants.occupants()) {
    if (occupant.user == user.bare()) return occupant.nickname;
  }
  return {};
}

}  // namespace

void post(const Context& ctx, api::PostRequest request, Done<MessagePtr> done) {
  auto shared_done = std::make_shared<Done<MessagePtr>>(std::move(done));
  auto fail = [shared_done](model::StanzaError e) {
    if (*shared_done) (*shared_done)(api::RoomsResult<MessagePtr>::failure(std::move(e)));
  };
  const std::string room = request.room;
  on_room(
      ctx, room,
      [ctx, request = std::move(request), shared_done,
       fail](const std::shared_ptr<RoomState>& state) mutable {
        RoomState& s = *state;
        const auto* entry = s.occupants.find_session(request.participant);
        if (entry == nullptr) {
          return fail(error(ErrorCondition::not_acceptable, "not in the room"));  // §7.4
        }
        if (auto denied = authorize(s, api::RoomActor{entry->occupant.user}, RoomAction::post)) {
          return fail(*denied);
        }
        if (s.pending_posts >= ctx->config.max_pending_posts) {
          return fail(error(ErrorCondition::resource_constraint, "room busy, retry later"));
        }
        // Assigned on the room's queue and submitted from the same task: ids increase within
        // the room in commit order, and are unique across rooms.
        const std::int64_t sequence = ctx->last_seq.fetch_add(1) + 1;
        s.last_seq = sequence;
        auto message = std::make_shared<model::RoomMessage>();
        message->id = model::room_message_id(sequence);
        message->room = s.room.id;
        message->from_user = entry->occupant.user;
        message->nickname = entry->occupant.nickname;
        message->origin_id = std::move(request.origin_id);
        message->body = std::move(request.body);
        message->stamp = ctx->clock();
        message->extensions = std::move(request.extensions);
        MessagePtr shared = std::move(message);
        // Issue 6: the post and its event are one store job (both or neither after a crash).
        EventFields fields;
        fields.content = shared->body;
        fields.message_id = shared->id;
        if (!shared->origin_id.empty()) fields.details.emplace_back("origin_id", shared->origin_id);
        fields.details.emplace_back("nickname", shared->nickname);
        EventPtr event =
            make_event(ctx, api::ComplianceEventKind::room_post, s.room.id,
                       compliance_actor(entry->occupant.user, request.source), std::move(fields));
        ++s.pending_posts;
        on_store(
            ctx,
            [ctx, shared, event](api::RoomStore& store) {
              store.append(*shared);
              append_event(ctx, event);
            },
            [ctx, state, shared, shared_done, fail](bool committed, const std::string& e) {
              state->queue->post([state, shared, shared_done, fail, committed, e] {
                --state->pending_posts;
                if (!committed) return fail(store_error(e));
                fan_out(*state, api::RoomMessagePosted{shared});
                if (*shared_done) (*shared_done)(shared);
              });
            });
      },
      fail);
}

void set_topic(const Context& ctx, const api::RoomActor& actor, const std::string& room,
               std::string topic, api::ErrorCallback done) {
  auto finish = share_callback(std::move(done));
  on_room(
      ctx, room,
      [ctx, actor, topic = std::move(topic), finish](const std::shared_ptr<RoomState>& state) {
        if (auto denied = authorize(*state, actor, RoomAction::change_topic)) {
          return finish(*denied);
        }
        state->room.topic = topic;
        EventFields fields;
        fields.content = topic;
        EventPtr event = make_event(ctx, api::ComplianceEventKind::topic_change, state->room.id,
                                    compliance_actor(actor), std::move(fields));
        save_settings(ctx, state, std::move(event),
                      [state, actor, topic, finish](std::optional<model::StanzaError> failure) {
                        if (!failure) {
                          fan_out(*state,
                                  api::TopicChanged{state->room.id, topic, actor.user.bare(),
                                                    nickname_of(*state, actor.user)});
                        }
                        finish(std::move(failure));
                      });
      },
      finish);
}

}  // namespace parley::core::rooms::ops
