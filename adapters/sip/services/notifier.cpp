#include "adapters/sip/services/notifier.hpp"

#include "gateway/log/log.hpp"
#include "mapping/sip/address.hpp"
#include "mapping/sip/pidf.hpp"

namespace parley::sip {
namespace {

std::string subscription_state(const Watch& watch, const NotifyContent& content, TimePoint now) {
  // RFC 6665 §8.2.3: substate-value *( ";" subexp-params ).
  const auto left = std::max<std::int64_t>(
      0, std::chrono::duration_cast<std::chrono::seconds>(watch.expires - now).count());
  switch (content.state) {
    case NotifyState::pending:
      return "pending;expires=" + std::to_string(left);
    case NotifyState::active:
      return "active;expires=" + std::to_string(left);
    case NotifyState::terminated:
      return content.reason.empty() ? "terminated" : "terminated;reason=" + content.reason;
  }
  return "terminated";
}

}  // namespace

model::Presence aggregate_presence(const std::map<model::Address, model::Presence>& resources) {
  const model::Presence* best = nullptr;
  for (const auto& [full, presence] : resources) {
    if (presence.type != model::PresenceType::available) continue;
    if (!best || presence.priority > best->priority) best = &presence;
  }
  if (best) return *best;
  model::Presence offline;
  offline.type = model::PresenceType::unavailable;
  return offline;
}

void send_notify(ServicesContext& ctx, Watch& watch, const NotifyContent& content, bool skip_same,
                 std::function<void()> on_failure) {
  if (!ctx.stack) return;
  std::string body;
  if (content.state == NotifyState::active && content.presence) {
    const std::string entity = mapping::sip::sip_uri_from_address(watch.target).to_string();
    body = mapping::sip::build_pidf(*content.presence, entity, ctx.config.availability);
    if (skip_same && body == watch.last_body) return;
    watch.last_body = body;
  }
  SipMessage request;
  request.is_request = true;
  request.method = "NOTIFY";
  request.request_uri = watch.remote_target;
  // RFC 3261 §12.2.1.1: the route set from the SUBSCRIBE's Record-Route, in order.
  for (const auto& route : watch.route_set) request.add_header("Route", route);
  NameAddr from = watch.notifier;
  from.params.emplace_back("tag", watch.local_tag);
  request.add_header("Max-Forwards", "70");
  request.add_header("From", from.to_string());
  request.add_header("To", watch.subscriber.to_string());
  request.add_header("Call-ID", watch.call_id);
  request.add_header("CSeq", std::to_string(++watch.local_cseq) + " NOTIFY");
  request.add_header("Event",
                     watch.event_id.empty() ? "presence" : "presence;id=" + watch.event_id);
  request.add_header("Subscription-State", subscription_state(watch, content, ctx.now()));
  NameAddr contact;
  contact.uri = ctx.stack->local_uri(watch.flow);
  request.add_header("Contact", contact.to_string());
  request.add_header("User-Agent", ctx.config.agent_name);
  if (!body.empty()) {
    request.add_header("Content-Type", std::string(mapping::sip::kPidfContentType));
    request.body = std::move(body);
  }
  const std::string call_id = watch.call_id;
  ctx.stack->send_request(
      std::move(request), watch.flow,
      ctx.on_strand([keep = ctx.owner.lock(), call_id,
                     on_failure = std::move(on_failure)](ClientOutcome outcome) {
        if (outcome.status < 300) return;
        PARLEY_LOG_INFO("sip", "", "notify_failed",
                        {{"call_id", call_id}, {"status", std::to_string(outcome.status)}});
        if (on_failure) on_failure();
      }));
}

}  // namespace parley::sip
