#include "gateway/core/offline_delivery.hpp"

#include <algorithm>

#include "gateway/core/fanout.hpp"
#include "gateway/log/log.hpp"

namespace parley::core {
namespace {

constexpr std::size_t kTakeBatch = 100;

std::vector<model::Message> take_all(api::Stores& stores, const model::Address& user,
                                     std::size_t cap) {
  std::vector<model::Message> all;
  while (all.size() < cap) {
    auto batch = stores.offline.take(user, std::min(kTakeBatch, cap - all.size()));
    const bool more = batch.size() == kTakeBatch;
    std::move(batch.begin(), batch.end(), std::back_inserter(all));
    if (!more) break;
  }
  return all;
}

}  // namespace

std::vector<EndpointView> best_resources(const std::vector<EndpointView>& available) {
  std::vector<EndpointView> best;
  int top = -1;
  for (const auto& view : available) {
    if (!view.available || view.priority < 0) continue;
    if (view.priority > top) {
      top = view.priority;
      best.clear();
    }
    if (view.priority == top) best.push_back(view);
  }
  return best;
}

void OfflineDelivery::store(std::shared_ptr<const model::Message> message) {
  const std::size_t max = ctx_.config.max_offline_messages_per_account;
  ctx_.run<bool>(
      [message, max](api::Stores& stores) {
        if (stores.offline.count(message->to.bare()) >= max) return false;
        stores.offline.store(*message);
        return true;
      },
      [this, message](std::optional<bool> stored) {
        if (!stored) {
          reply_message_error(ctx_, *message, model::ErrorCondition::internal_server_error);
          return;
        }
        if (!*stored) {
          // RFC 6121 §8.5.2.2.1: no storage left -> service-unavailable to the sender.
          reply_message_error(ctx_, *message, model::ErrorCondition::service_unavailable,
                              "offline storage is full");
          return;
        }
        // The recipient may have become available after routing chose storage but before the
        // store job ran; its own flush then ran first and missed this message.
        const model::Address user = message->to.bare();
        if (ctx_.endpoints.has_available(user, /*non_negative_only=*/true)) flush_to_best(user);
      });
}

void OfflineDelivery::flush_to(const EndpointView& endpoint) {
  const model::Address user = endpoint.full.bare();
  const std::size_t cap = ctx_.config.max_offline_messages_per_account;
  ctx_.run<std::vector<model::Message>>(
      [user, cap](api::Stores& stores) { return take_all(stores, user, cap); },
      [this, user, endpoint](std::optional<std::vector<model::Message>> messages) {
        if (!messages || messages->empty()) return;
        std::vector<EndpointView> targets;
        if (ctx_.endpoints.holds(endpoint.full, endpoint.endpoint.get()))
          targets.push_back(endpoint);
        deliver_or_restore(user, std::move(*messages), targets);
      });
}

void OfflineDelivery::flush_to_best(const model::Address& user) {
  const std::size_t cap = ctx_.config.max_offline_messages_per_account;
  ctx_.run<std::vector<model::Message>>(
      [user, cap](api::Stores& stores) { return take_all(stores, user, cap); },
      [this, user](std::optional<std::vector<model::Message>> messages) {
        if (!messages || messages->empty()) return;
        deliver_or_restore(user, std::move(*messages),
                           best_resources(ctx_.endpoints.available_of(user)));
      });
}

void OfflineDelivery::deliver_or_restore(const model::Address& user,
                                         std::vector<model::Message> messages,
                                         const std::vector<EndpointView>& targets) {
  if (targets.empty()) {  // the endpoint went away meanwhile: keep the messages
    restore(std::move(messages));
    return;
  }
  PARLEY_LOG_DEBUG("core", "", "offline_delivered",
                   {{"user", user.bare_string()}, {"count", std::to_string(messages.size())}});
  for (auto& message : messages) {
    message.delayed = true;  // XEP-0203: the original stamp travels with it
    auto shared = std::make_shared<const model::Message>(std::move(message));
    deliver_to(targets, api::MessageDelivery{shared, api::CopyKind::none});
  }
}

void OfflineDelivery::restore(std::vector<model::Message> messages) {
  auto shared = std::make_shared<std::vector<model::Message>>(std::move(messages));
  ctx_.run<bool>(
      [shared](api::Stores& stores) {
        for (const auto& message : *shared) stores.offline.store(message);
        return true;
      },
      [](std::optional<bool> ok) {
        if (!ok) PARLEY_LOG_ERROR("core", "", "offline_restore_failed");
      });
}

}  // namespace parley::core
