#include "adapters/sip/services/message_service.hpp"

#include <ctime>

#include "adapters/sip/services/digest_auth.hpp"
#include "adapters/sip/services/request_helpers.hpp"
#include "gateway/log/log.hpp"
#include "mapping/sip/address.hpp"
#include "mapping/sip/content.hpp"

namespace parley::sip {

std::string http_date(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  const auto n = std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buffer, n);
}

void MessageService::on_message(std::shared_ptr<ServerTransaction> transaction) {
  const SipMessage& request = transaction->request();
  auto to = request.to();
  auto from = request.from();
  if (!to || !from) {
    transaction->respond(response_for(ctx_, request, 400, "Missing From Or To"));
    return;
  }
  // RFC 3428 §8: a body over our limit is 413 (a proxy would say so too).
  if (request.body.size() > ctx_.config.max_message_body_bytes) {
    transaction->respond(response_for(ctx_, request, 413, "Message Body Too Large"));
    return;
  }
  auto target = local_account(to->uri, ctx_.config);
  if (!target) {  // no server-to-server routing: a non-local target does not exist for us
    transaction->respond(response_for(ctx_, request, 404, "Unknown Recipient"));
    return;
  }
  auto content =
      mapping::sip::parse_content(request.header("Content-Type").value_or(""), request.body);
  if (!content) {
    SipMessage response =
        response_for(ctx_, request, content.error().status, content.error().reason);
    if (!content.error().accept.empty()) response.add_header("Accept", content.error().accept);
    transaction->respond(std::move(response));
    return;
  }
  auto sender = local_account(from->uri, ctx_.config);
  if (!sender) {
    transaction->respond(response_for(ctx_, request, 403, "Sender Is Not A Local User"));
    return;
  }
  authenticate(ctx_, transaction, AuthKind::proxy, *sender,
               [this, transaction, target = *target,
                parsed = content.value()](const model::Address& account) {
                 if (!ctx_.core.account_exists(target)) {
                   transaction->respond(
                       response_for(ctx_, transaction->request(), 404, "Unknown Recipient"));
                   return;
                 }
                 if (parsed.kind == mapping::sip::ContentKind::is_composing) {
                   // RFC 3994 typing notices: accepted, not routed (the model has no such event).
                   transaction->respond(response_for(ctx_, transaction->request(), 200));
                   return;
                 }
                 if (ctx_.archive != nullptr && ctx_.archive->backlogged() &&
                     transaction->flow().transport == Transport::udp) {
                   // The archive's rows wait for the database: XMPP senders and SIP peers on
                   // TCP/TLS are held (their reads pause, SipServer::hold_reads_while); a UDP
                   // peer cannot be, so it is told to retry (RFC 3261 §21.5.4) rather than
                   // lose its rows.
                   SipMessage busy =
                       response_for(ctx_, transaction->request(), 503, "Archive Busy");
                   busy.add_header("Retry-After", std::to_string(ctx_.config.retry_after.count()));
                   transaction->respond(std::move(busy));
                   return;
                 }
                 model::Message message;
                 message.from = ctx_.account(account).full();
                 message.to = target;
                 message.type = model::MessageType::chat;
                 mapping::sip::apply_content(parsed, message);
                 ctx_.core.send_message(std::move(message));
                 transaction->respond(response_for(ctx_, transaction->request(), 202));
               });
}

void MessageService::deliver(SipAccount& account, const model::Message& message) {
  if (message.type == model::MessageType::error || message.type == model::MessageType::groupchat)
    return;  // errors have no SIP form here; rooms are not presented over SIP yet
  if (message.body.empty()) return;  // chat states, receipts: nothing to show
  if (account.bindings.empty()) {
    PARLEY_LOG_DEBUG("sip", "", "message_no_device", {{"account", account.bare.to_string()}});
    return;
  }
  for (const auto& binding : account.bindings) send_to_binding(account, binding, message);
}

void MessageService::send_to_binding(SipAccount& account, const Binding& binding,
                                     const model::Message& message) {
  if (!ctx_.stack) return;
  const auto content = mapping::sip::content_for_sip(message);
  SipMessage request;
  request.is_request = true;
  request.method = "MESSAGE";
  request.request_uri = binding.contact.uri;
  NameAddr from;
  from.uri = mapping::sip::sip_uri_from_address(message.from.bare());
  from.params.emplace_back("tag", ctx_.stack->new_token());
  NameAddr to;
  to.uri = mapping::sip::sip_uri_from_address(account.bare);
  request.add_header("Max-Forwards", "70");
  request.add_header("From", from.to_string());
  request.add_header("To", to.to_string());
  request.add_header("Call-ID", ctx_.stack->new_token());
  request.add_header("CSeq", "1 MESSAGE");
  request.add_header("User-Agent", ctx_.config.agent_name);
  // RFC 3428 §9: when the message waited in offline storage, Date says when it was sent.
  if (message.delayed) request.add_header("Date", http_date(message.stamp));
  request.add_header("Content-Type", content.content_type);
  request.body = content.body;
  const model::Address bare = account.bare;
  const std::string key = binding.key;
  const Flow flow = binding.flow;
  ctx_.stack->send_request(
      std::move(request), flow,
      ctx_.on_strand([this, keep = ctx_.owner.lock(), bare, key, flow](ClientOutcome outcome) {
        if (outcome.status < 300) return;
        PARLEY_LOG_INFO("sip", "", "message_delivery_failed",
                        {{"account", bare.to_string()},
                         {"status", std::to_string(outcome.status)},
                         {"flow", flow.to_string()}});
        // RFC 5626 §5.3: a dead flow (430) or a device that no longer answers ends the binding.
        if (outcome.status != 430 && outcome.status != 408) return;
        SipAccount* owner = ctx_.find_account(bare);
        if (!owner) return;
        const auto before = owner->bindings.size();
        std::erase_if(owner->bindings,
                      [&](const Binding& b) { return b.key == key && b.flow == flow; });
        if (owner->bindings.size() != before) ctx_.refresh(*owner);
      }));
}

}  // namespace parley::sip
