#include "adapters/sip/services/publish_service.hpp"

#include "adapters/sip/services/digest_auth.hpp"
#include "adapters/sip/services/request_helpers.hpp"
#include "gateway/log/log.hpp"
#include "mapping/sip/pidf.hpp"

namespace parley::sip {

void PublishService::on_publish(std::shared_ptr<ServerTransaction> transaction) {
  const SipMessage& request = transaction->request();
  auto event = parse_event(request);
  if (!event || event->package != "presence") {
    SipMessage response = response_for(ctx_, request, 489);  // RFC 3903 §6 step 2
    response.add_header("Allow-Events", "presence");
    transaction->respond(std::move(response));
    return;
  }
  auto to = request.to();
  auto from = request.from();
  if (!to || !from) {
    transaction->respond(response_for(ctx_, request, 400, "Missing From Or To"));
    return;
  }
  auto presentity = local_account(to->uri, ctx_.config);
  if (!presentity) {
    transaction->respond(response_for(ctx_, request, 404, "Unknown Presentity"));
    return;
  }
  if (!request.body.empty() &&
      request.content_type().value_or("") != mapping::sip::kPidfContentType) {
    SipMessage response = response_for(ctx_, request, 415);  // RFC 3903 §6 step 4
    response.add_header("Accept", std::string(mapping::sip::kPidfContentType));
    transaction->respond(std::move(response));
    return;
  }
  if (request.body.size() > mapping::sip::kMaxPidfBytes) {
    transaction->respond(response_for(ctx_, request, 413, "Presence Document Too Large"));
    return;
  }
  // Only the presentity itself publishes its state (RFC 3903 §6 step 3, our authorization).
  authenticate(ctx_, transaction, AuthKind::proxy, *presentity,
               [this, transaction](const model::Address& account) { apply(transaction, account); });
}

void PublishService::apply(const std::shared_ptr<ServerTransaction>& transaction,
                           const model::Address& account_address) {
  const SipMessage& request = transaction->request();
  SipAccount& account = ctx_.account(account_address);
  const auto if_match = request.header("SIP-If-Match");
  if (if_match && (!account.publication || account.publication->etag != *if_match)) {
    transaction->respond(response_for(ctx_, request, 412));  // RFC 3903 §6 step 5
    ctx_.refresh(account);
    return;
  }
  if (!if_match && request.body.empty()) {
    transaction->respond(response_for(ctx_, request, 400, "Initial PUBLISH Without Body"));
    ctx_.refresh(account);
    return;
  }
  const auto expiry = choose_expiry(request.expires(), ctx_.config.publish);
  if (expiry.too_brief) {
    SipMessage response = response_for(ctx_, request, 423);
    response.add_header("Min-Expires", std::to_string(ctx_.config.publish.min_expires.count()));
    transaction->respond(std::move(response));
    ctx_.refresh(account);
    return;
  }
  if (expiry.value.count() == 0) {  // removal (RFC 3903 §4.5)
    account.publication.reset();
    SipMessage response = response_for(ctx_, request, 200);
    response.add_header("Expires", "0");
    transaction->respond(std::move(response));
    ctx_.refresh(account);
    return;
  }
  std::optional<model::Presence> presence;
  if (!request.body.empty()) {
    auto parsed = mapping::sip::parse_pidf_presence(request.body, ctx_.config.availability);
    if (!parsed) {
      transaction->respond(response_for(ctx_, request, 400, "Invalid PIDF: " + parsed.error()));
      ctx_.refresh(account);
      return;
    }
    presence = std::move(parsed).value();
  }
  if (!account.publication) account.publication.emplace();
  Publication& publication = *account.publication;
  if (presence) publication.presence = std::move(*presence);
  // RFC 3903 §6 step 8: every successful PUBLISH gets a new entity tag.
  publication.etag = ctx_.stack ? ctx_.stack->new_token() : "etag";
  publication.expires = ctx_.now() + expiry.value;
  SipMessage response = response_for(ctx_, request, 200);
  response.add_header("SIP-ETag", publication.etag);
  response.add_header("Expires", std::to_string(expiry.value.count()));
  transaction->respond(std::move(response));
  PARLEY_LOG_DEBUG("sip", "", "published", {{"account", account.bare.to_string()}});
  ctx_.refresh(account);
}

void PublishService::sweep(TimePoint now) {
  for (auto& [bare, account] : ctx_.accounts) {
    if (account->publication && account->publication->expires <= now) {
      account->publication.reset();
      ctx_.refresh(*account);
    }
  }
}

}  // namespace parley::sip
