#pragma once
// Compliance events of the rooms service (issue 6, gateway/api/compliance.hpp). Every event is
// built on the room's queue (id, time, actor) and appended to the outbox from INSIDE the store
// job that performs the action, so the action and its event commit or roll back together.
// Actions that write nothing else (join, leave, kick, a history fetch) get a store job of
// their own, and complete only after it committed: an acknowledged action has its event.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/api/compliance.hpp"
#include "gateway/api/rooms.hpp"
#include "gateway/core/rooms/rooms_context.hpp"

namespace parley::core::rooms {

// Null when the kind is not recorded: the store job then appends nothing.
using EventPtr = std::shared_ptr<const api::ComplianceEvent>;

api::ComplianceActor compliance_actor(const model::Address& user, const api::RequestSource& source);
api::ComplianceActor compliance_actor(const api::RoomActor& actor);

// What a caller fills in on top of the kind, the room and the actor.
struct EventFields {
  model::Address peer{};
  std::string content{};
  std::string message_id{};
  std::vector<std::pair<std::string, std::string>> details{};
};

// A new event (fresh id, the service clock), or null when `kind` is not recorded.
EventPtr make_event(const Context& ctx, api::ComplianceEventKind kind, const std::string& room,
                    api::ComplianceActor actor, EventFields fields = {});

// On the store thread, inside the action's job: appends `event` when set. Throws what the
// outbox throws, which rolls the whole job back.
void append_event(const Context& ctx, const EventPtr& event);

// The settings of a create (all) or modify (the set fields) as event details, in a fixed order.
std::vector<std::pair<std::string, std::string>> settings_details(
    const api::RoomSettings& settings);

}  // namespace parley::core::rooms
