#include "gateway/core/fanout.hpp"

namespace parley::core {

void deliver_to(const std::vector<EndpointView>& targets, const api::Delivery& delivery) {
  for (const auto& target : targets) target.endpoint->deliver(delivery);
}

void reply_message_error(CoreContext& ctx, const model::Message& original,
                         model::ErrorCondition condition, std::string text) {
  if (original.type == model::MessageType::error) return;
  auto target = ctx.endpoints.find(original.from);
  if (!target) return;  // the sender is gone: nobody to tell
  auto reply = std::make_shared<model::Message>();
  reply->id = original.id;
  reply->from = original.to;
  reply->to = original.from;
  reply->type = model::MessageType::error;
  reply->body = original.body;  // RFC 6120 §8.3.1 allows returning the original payload
  reply->thread = original.thread;
  reply->lang = original.lang;
  reply->stamp = ctx.clock();
  reply->error = model::StanzaError::make(condition, std::move(text));
  target->endpoint->deliver(api::MessageDelivery{std::move(reply), api::CopyKind::none});
}

std::shared_ptr<const model::Presence> make_presence(const model::Address& from,
                                                     const model::Address& to,
                                                     model::PresenceType type) {
  auto presence = std::make_shared<model::Presence>();
  presence->from = from;
  presence->to = to;
  presence->type = type;
  return presence;
}

void push_roster(CoreContext& ctx, const model::Address& user, const model::RosterItem& item,
                 bool removed, std::uint64_t version) {
  for (const auto& view : ctx.endpoints.endpoints_of(user.bare()))
    if (view.flags.roster_interested)
      view.endpoint->deliver(api::RosterPush{item, removed, version});
}

void send_presences_of(CoreContext& ctx, const model::Address& contact,
                       const std::vector<EndpointView>& targets) {
  if (targets.empty()) return;
  for (const auto& source : ctx.endpoints.available_of(contact.bare()))
    if (source.presence) deliver_to(targets, api::PresenceDelivery{source.presence});
}

void send_unavailable_of(CoreContext& ctx, const model::Address& contact,
                         const std::vector<EndpointView>& targets) {
  if (targets.empty()) return;
  for (const auto& source : ctx.endpoints.available_of(contact.bare()))
    deliver_to(targets, api::PresenceDelivery{
                            make_presence(source.full, {}, model::PresenceType::unavailable)});
}

void apply_presence_access_change(CoreContext& ctx, const model::Address& watcher,
                                  const model::Address& target, bool had_to, bool has_to) {
  if (had_to == has_to) return;
  if (ctx.directory.snapshot()->are_colleagues(watcher.bare(), target.bare())) return;
  auto targets = ctx.endpoints.available_of(watcher.bare());
  if (has_to)
    send_presences_of(ctx, target, targets);
  else
    send_unavailable_of(ctx, target, targets);
}

bool has_to(model::SubscriptionState state) {
  const auto s = model::subscription_of(state);
  return s == model::Subscription::to || s == model::Subscription::both;
}

bool has_from(model::SubscriptionState state) {
  const auto s = model::subscription_of(state);
  return s == model::Subscription::from || s == model::Subscription::both;
}

}  // namespace parley::core
