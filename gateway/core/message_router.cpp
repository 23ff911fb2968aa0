#include "gateway/core/message_router.hpp"

#include <algorithm>

#include "gateway/core/fanout.hpp"

namespace parley::core {
namespace {

using model::ErrorCondition;
using model::MessageType;

struct SlowPathResult {
  bool exists = false;
  std::vector<model::Address> sender_blocks;
  std::vector<model::Address> recipient_blocks;
};

bool contains_endpoint(const std::vector<EndpointView>& views, const EndpointView& view) {
  return std::any_of(views.begin(), views.end(),
                     [&](const EndpointView& v) { return v.endpoint == view.endpoint; });
}

}  // namespace

bool carbons_eligible(const model::Message& message) {
  const bool eligible_type = message.type == MessageType::chat ||
                             (message.type == MessageType::normal && !message.body.empty());
  if (!eligible_type) return false;
  // XEP-0280 §7: <private xmlns='urn:xmpp:carbons:2'/> opts a message out.
  return std::none_of(message.extensions.begin(), message.extensions.end(), [](const auto& p) {
    return p.ns == "urn:xmpp:carbons:2" && p.name == "private";
  });
}

bool archivable(const model::Message& message) {
  // XEP-0313 §5.1.1: messages with a body; only 1:1 types (rooms keep their own archive).
  return (message.type == MessageType::chat || message.type == MessageType::normal) &&
         !message.body.empty();
}

void MessageRouter::send(model::Message message) {
  Context context;
  if (message.stamp == model::Timestamp{}) {
    message.stamp = ctx_.clock();
    message.stanza_id = ctx_.ids();  // XEP-0359: the server's id replaces any client claim
  } else {
    context.redelivery = true;
    if (message.stanza_id.empty()) message.stanza_id = ctx_.ids();
  }
  // RFC 6120 §10.3: no 'to' means the sender's own account.
  if (message.to.empty()) message.to = message.from.bare();
  if (!ctx_.is_local(message.to)) {
    // No server-to-server links: a remote domain cannot be reached (RFC 6120 §10.4.3).
    reply_message_error(ctx_, message, ErrorCondition::remote_server_not_found);
    return;
  }
  if (message.to.local().empty()) {  // addressed to the server itself: nothing handles it here
    reply_message_error(ctx_, message, ErrorCondition::service_unavailable);
    return;
  }
  auto shared = std::make_shared<const model::Message>(std::move(message));
  const model::Address sender = shared->from.bare();
  const model::Address recipient = shared->to.bare();

  if (ctx_.accounts.contains(recipient)) {
    context.blocking = ctx_.blocks.verdict(sender, shared->from, recipient, shared->to);
    if (context.blocking) {
      context.recipient_exists = true;
      route(std::move(shared), context);
      return;
    }
  }
  // Slow path: ask the store whether the account exists and read both block lists.
  std::vector<model::Address> users{sender};
  if (recipient != sender) users.push_back(recipient);
  ctx_.blocks.hold(users);
  ctx_.run<SlowPathResult>(
      [sender, recipient](api::Stores& stores) {
        SlowPathResult r;
        r.exists = stores.accounts.exists(recipient);
        r.sender_blocks = stores.blocks.list(sender);
        if (r.exists && recipient != sender) r.recipient_blocks = stores.blocks.list(recipient);
        return r;
      },
      [this, shared, context, users, sender, recipient](std::optional<SlowPathResult> r) mutable {
        if (!r) {
          reply_message_error(ctx_, *shared, ErrorCondition::internal_server_error);
        } else {
          ctx_.blocks.set(sender, std::move(r->sender_blocks));
          if (r->exists) {
            ctx_.accounts.insert(recipient);
            if (recipient != sender) ctx_.blocks.set(recipient, std::move(r->recipient_blocks));
          }
          context.recipient_exists = r->exists;
          route(shared, context);
        }
        ctx_.blocks.release(users);
      });
}

void MessageRouter::route(std::shared_ptr<const model::Message> message, Context context) {
  const model::Message& m = *message;
  if (m.type == MessageType::error && !context.recipient_exists) return;
  if (!context.recipient_exists) {
    // RFC 6121 §8.5.1: no such account.
    reply_message_error(ctx_, m, ErrorCondition::service_unavailable);
    return;
  }
  const BlockCache::Verdict blocking =
      context.blocking ? *context.blocking
                       : BlockCache::Verdict{ctx_.blocks.blocks(m.from.bare(), m.to),
                                             ctx_.blocks.blocks(m.to.bare(), m.from)};
  // XEP-0191 §3.6: the sender's own block list stops outbound stanzas.
  if (blocking.sender_blocks_recipient) {
    reply_message_error(ctx_, m, ErrorCondition::not_acceptable, "recipient is blocked");
    return;
  }
  // XEP-0191 §3.3: a blocked sender learns nothing more than service-unavailable.
  if (blocking.recipient_blocks_sender) {
    reply_message_error(ctx_, m, ErrorCondition::service_unavailable);
    return;
  }
  if (m.to.is_full()) {
    // RFC 6121 §8.5.3.1: a bound resource gets it, available or not.
    if (auto target = ctx_.endpoints.find(m.to)) {
      deliver(message, {*target}, context);
      return;
    }
    // §8.5.3.2.1 / §8.5.3.2.2: no such resource.
    switch (m.type) {
      case MessageType::normal:
      case MessageType::chat:
        break;  // like a bare address
      case MessageType::groupchat:
        reply_message_error(ctx_, m, ErrorCondition::service_unavailable);
        return;
      case MessageType::headline:
      case MessageType::error:
        return;  // silently dropped
    }
  }
  route_to_bare(message, context);
}

void MessageRouter::route_to_bare(const std::shared_ptr<const model::Message>& message,
                                  Context context) {
  const model::Message& m = *message;
  const auto available = ctx_.endpoints.available_of(m.to.bare());
  switch (m.type) {
    case MessageType::normal:
    case MessageType::chat: {
      // RFC 6121 §8.5.2.1.1: highest non-negative priority, every resource on a tie.
      auto best = best_resources(available);
      if (!best.empty()) {
        deliver(message, best, context);
        return;
      }
      if (!context.redelivery) archive(message);
      offline_.store(message);  // §8.5.2.2.1
      if (!context.redelivery && carbons_eligible(m)) send_carbons(message, {});
      return;
    }
    case MessageType::headline: {
      // §8.5.2.1.2: every available resource with non-negative priority, else dropped.
      std::vector<EndpointView> targets;
      std::copy_if(available.begin(), available.end(), std::back_inserter(targets),
                   [](const EndpointView& v) { return v.priority >= 0; });
      if (!targets.empty()) deliver(message, targets, context);
      return;
    }
    case MessageType::groupchat:
      // §8.5.2.1.3: a user is not a room.
      reply_message_error(ctx_, m, ErrorCondition::service_unavailable);
      return;
    case MessageType::error: {
      // §8.5.2.1.4 / RFC 6120 §8.3.1: deliver if someone is there, never answer.
      auto best = best_resources(available);
      if (!best.empty()) deliver(message, best, context);
      return;
    }
  }
}

void MessageRouter::deliver(const std::shared_ptr<const model::Message>& message,
                            const std::vector<EndpointView>& targets, Context context) {
  // Archived before delivery: a client that queries its archive right after receiving the
  // message finds it there (the archive's job is queued before any later query).
  if (!context.redelivery) archive(message);
  deliver_to(targets, api::MessageDelivery{message, api::CopyKind::none});
  // A redelivered message already produced its carbons the first time.
  if (!context.redelivery && carbons_eligible(*message)) send_carbons(message, targets);
}

void MessageRouter::archive(const std::shared_ptr<const model::Message>& message) {
  if (ctx_.archive != nullptr && archivable(*message)) ctx_.archive->record(message);
}

void MessageRouter::send_carbons(const std::shared_ptr<const model::Message>& message,
                                 const std::vector<EndpointView>& targets) {
  // Only resources that enabled carbons are looked at (usually none: nothing to copy).
  std::vector<EndpointView> received;
  if (!targets.empty()) received = ctx_.endpoints.carbon_receivers_of(message->to.bare());
  std::vector<EndpointView> sent = ctx_.endpoints.carbon_receivers_of(message->from.bare());
  if (received.empty() && sent.empty()) return;
  std::vector<EndpointView> covered = targets;
  // XEP-0280 §6.1: received copies to the recipient's other interested resources.
  for (const auto& view : received) {
    if (contains_endpoint(covered, view)) continue;
    view.endpoint->deliver(api::MessageDelivery{message, api::CopyKind::received});
    covered.push_back(view);
  }
  // XEP-0280 §6.2: sent copies to the sender's other interested resources.
  for (const auto& view : sent) {
    if (view.full == message->from || contains_endpoint(covered, view)) continue;
    view.endpoint->deliver(api::MessageDelivery{message, api::CopyKind::sent});
  }
}

}  // namespace parley::core
