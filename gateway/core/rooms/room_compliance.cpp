#include "gateway/core/rooms/room_compliance.hpp"

#include <utility>

namespace parley::core::rooms {

api::ComplianceActor compliance_actor(const model::Address& user,
                                      const api::RequestSource& source) {
  api::ComplianceActor actor;
  actor.account = user.bare();
  actor.protocol = source.protocol;
  actor.endpoint = source.endpoint;
  return actor;
}

api::ComplianceActor compliance_actor(const api::RoomActor& actor) {
  return compliance_actor(actor.user, actor.source);
}

EventPtr make_event(const Context& ctx, api::ComplianceEventKind kind, const std::string& room,
                    api::ComplianceActor actor, EventFields fields) {
  // A disabled kind costs this one look-up on the message path (compliance.hpp).
  if (!ctx->compliance.records(kind)) return nullptr;
  auto event = std::make_shared<api::ComplianceEvent>();
  event->id = api::new_compliance_id();
  event->time = ctx->clock();
  event->kind = kind;
  event->actor = std::move(actor);
  event->room = room;
  event->peer = std::move(fields.peer);
  event->content = std::move(fields.content);
  event->message_id = std::move(fields.message_id);
  event->details = std::move(fields.details);
  return event;
}

void append_event(const Context& ctx, const EventPtr& event) {
  if (event && ctx->compliance.outbox != nullptr) ctx->compliance.outbox->append(*event);
}

std::vector<std::pair<std::string, std::string>> settings_details(
    const api::RoomSettings& settings) {
  std::vector<std::pair<std::string, std::string>> details;
  if (settings.id) details.emplace_back("id", *settings.id);
  if (settings.name) details.emplace_back("name", *settings.name);
  if (settings.description) details.emplace_back("description", *settings.description);
  if (settings.topic) details.emplace_back("topic", *settings.topic);
  if (settings.keywords) {
    std::string joined;
    for (const auto& keyword : *settings.keywords) {
      if (!joined.empty()) joined += ',';
      joined += keyword;
    }
    details.emplace_back("keywords", std::move(joined));
  }
  if (settings.category) details.emplace_back("category", *settings.category);
  if (settings.type)
    details.emplace_back("type", std::string(model::room_type_name(*settings.type)));
  if (settings.privacy) {
    details.emplace_back("privacy", std::string(model::room_privacy_name(*settings.privacy)));
  }
  return details;
}

}  // namespace parley::core::rooms
