#include "adapters/sip/services/invite_service.hpp"

#include "adapters/sip/services/digest_auth.hpp"
#include "adapters/sip/services/request_helpers.hpp"
#include "adapters/sip/services/sdp_answer.hpp"
#include "gateway/log/log.hpp"

namespace parley::sip {
namespace {

constexpr std::chrono::hours kDialogIdle{12};  // forgotten without BYE after this

void not_acceptable(ServicesContext& ctx, ServerTransaction& transaction) {
  SipMessage response = response_for(ctx, transaction.request(), 488);
  // RFC 3261 §20.43 warn-code 304: media type not available.
  response.add_header("Warning", "304 " + ctx.config.agent_name + " \"Only IM sessions\"");
  transaction.respond(std::move(response));
}

}  // namespace

void InviteService::on_invite(std::shared_ptr<ServerTransaction> transaction) {
  const SipMessage& request = transaction->request();
  auto to = request.to();
  auto from = request.from();
  if (!to || !from || request.contacts().empty()) {
    transaction->respond(response_for(ctx_, request, 400, "Missing From, To Or Contact"));
    return;
  }
  auto callee = local_account(to->uri, ctx_.config);
  if (!callee) {
    transaction->respond(response_for(ctx_, request, 404, "Unknown Callee"));
    return;
  }
  auto caller = local_account(from->uri, ctx_.config);
  if (!caller) {
    transaction->respond(response_for(ctx_, request, 403, "Caller Is Not A Local User"));
    return;
  }
  auto content_type = request.content_type().value_or("");
  if (request.body.empty() || content_type != "application/sdp") {
    // No offer in the INVITE (offer in ACK) is not supported for IM sessions.
    SipMessage response = response_for(ctx_, request, 415, "SDP Offer Required");
    response.add_header("Accept", "application/sdp");
    transaction->respond(std::move(response));
    return;
  }
  auto media = parse_sdp_media(request.body);
  if (!media) {
    transaction->respond(response_for(ctx_, request, 400, "Malformed SDP"));
    return;
  }
  bool has_message = false;
  for (const auto& m : *media) has_message = has_message || m.media == "message";
  if (!has_message) {
    not_acceptable(ctx_, *transaction);
    return;
  }
  authenticate(ctx_, transaction, AuthKind::proxy, *caller,
               [this, transaction, callee = *callee](const model::Address& account) {
                 accept(transaction, account, callee);
               });
}

void InviteService::accept(const std::shared_ptr<ServerTransaction>& transaction,
                           const model::Address& caller, const model::Address& callee) {
  const SipMessage& request = transaction->request();
  if (!ctx_.core.account_exists(callee)) {
    transaction->respond(response_for(ctx_, request, 404, "Unknown Callee"));
    return;
  }
  SipAccount& account = ctx_.account(caller);
  const std::string call_id = request.call_id().value_or("");
  std::string local_tag = tag_of(*request.to());
  const bool reinvite = !local_tag.empty();
  if (reinvite && !account.dialogs.contains(dialog_key(call_id, local_tag))) {
    transaction->respond(response_for(ctx_, request, 481, "Dialog Does Not Exist"));
    return;
  }
  if (!reinvite) local_tag = ctx_.stack ? ctx_.stack->new_token() : "tag";
  SdpAnswerInput input;
  input.session_id = std::to_string(std::hash<std::string>{}(call_id) % 1000000000);
  if (ctx_.stack) {
    const SipUri local = ctx_.stack->local_uri(transaction->flow());
    input.address = local.host;
    if (!input.address.empty() && input.address.front() == '[')
      input.address = input.address.substr(1, input.address.size() - 2);
    input.port = local.port == 0 ? 5060 : local.port;
  } else {
    input.address = "127.0.0.1";
  }
  auto answer = build_im_answer(*parse_sdp_media(request.body), input);
  SipMessage response = response_for(ctx_, request, 200, {}, local_tag);
  if (ctx_.stack) {
    NameAddr contact;
    contact.uri = ctx_.stack->local_uri(transaction->flow());
    response.add_header("Contact", contact.to_string());
  }
  // RFC 3261 §12.1.1: Record-Route is copied into 2xx answers that create a dialog.
  for (const auto& route : request.header_values("Record-Route"))
    response.add_header("Record-Route", route);
  response.add_header("Allow", std::string(allowed_methods()));
  response.add_header("Content-Type", "application/sdp");
  response.body = answer.value_or("");
  transaction->respond(std::move(response));
  ImDialog& dialog = account.dialogs[dialog_key(call_id, local_tag)];
  dialog.call_id = call_id;
  dialog.local_tag = local_tag;
  dialog.remote_tag = tag_of(*request.from());
  dialog.peer = callee;
  dialog.expires = ctx_.now() + kDialogIdle;
  ctx_.refresh(account);
  PARLEY_LOG_DEBUG("sip", "", "im_session",
                   {{"caller", caller.to_string()}, {"callee", callee.to_string()}});
}

void InviteService::on_bye(std::shared_ptr<ServerTransaction> transaction) {
  const SipMessage& request = transaction->request();
  auto to = request.to();
  auto from = request.from();
  const std::string call_id = request.call_id().value_or("");
  // The dialog is ours whichever side hangs up: look it up under both tags (RFC 3261 §15.1.2).
  for (auto& [bare, account] : ctx_.accounts) {
    for (const std::string& tag :
         {to ? tag_of(*to) : std::string(), from ? tag_of(*from) : std::string()}) {
      if (tag.empty()) continue;
      if (account->dialogs.erase(dialog_key(call_id, tag)) > 0) {
        transaction->respond(response_for(ctx_, request, 200));
        ctx_.refresh(*account);
        return;
      }
    }
  }
  transaction->respond(response_for(ctx_, request, 481, "Dialog Does Not Exist"));
}

void InviteService::sweep(TimePoint now) {
  for (auto& [bare, account] : ctx_.accounts) {
    const auto before = account->dialogs.size();
    std::erase_if(account->dialogs,
                  [now](const auto& entry) { return entry.second.expires <= now; });
    if (account->dialogs.size() != before) ctx_.refresh(*account);
  }
}

}  // namespace parley::sip
