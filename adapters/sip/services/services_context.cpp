#include "adapters/sip/services/services_context.hpp"

#include "gateway/log/log.hpp"

namespace parley::sip {
namespace {

// What the core should know about the account's availability: the published state wins
// (RFC 3903: the user chose it); a registered device without one means plain available.
std::optional<model::Presence> desired_presence(const SipAccount& account) {
  if (account.publication) return account.publication->presence;
  if (account.bindings.empty()) return std::nullopt;
  return model::Presence{};
}

bool same_state(const model::Presence& a, const model::Presence& b) {
  return a.type == b.type && a.show == b.show && a.status == b.status && a.priority == b.priority;
}

}  // namespace

ServicesContext::ServicesContext(SipServicesConfig cfg, api::Core& core_,
                                 CredentialLookup& credentials_,
                                 boost::asio::any_io_executor executor, Clock clock_,
                                 std::string secret)
    : config(std::move(cfg)),
      core(core_),
      credentials(credentials_),
      strand(boost::asio::make_strand(executor)),
      clock(clock_ ? std::move(clock_) : Clock([] { return std::chrono::steady_clock::now(); })),
      throttle(AuthThrottle::Limits{config.digest.failures_per_ip,
                                    config.digest.failures_per_account,
                                    config.digest.failure_window, config.digest.max_tracked}),
      nonces(std::move(secret), config.digest.nonce_lifetime, config.digest.max_tracked,
             clock() - std::chrono::hours(1)),
      credential_cache(config.digest.credential_cache, config.digest.max_tracked) {}

SipAccount& ServicesContext::account(const model::Address& bare) {
  auto& slot = accounts[bare.bare()];
  if (!slot) {
    slot = std::make_shared<SipAccount>();
    slot->bare = bare.bare();
  }
  return *slot;
}

SipAccount* ServicesContext::find_account(const model::Address& bare) {
  auto it = accounts.find(bare.bare());
  return it == accounts.end() ? nullptr : it->second.get();
}

void ServicesContext::refresh(SipAccount& account) {
  const model::Address full = account.full();
  if (account.idle()) {
    if (account.endpoint) {
      // The core broadcasts unavailable for an available endpoint (RFC 6121 §4.5.2).
      core.unbind(full, account.endpoint.get());
      account.endpoint.reset();
      account.last_sent.reset();
      PARLEY_LOG_DEBUG("sip", "", "account_unbound", {{"account", account.bare.to_string()}});
    }
    return;
  }
  if (!account.endpoint) {
    auto endpoint = std::make_shared<AccountEndpoint>(owner, full, config.outbox_high_watermark);
    api::SessionInfo info{full, model::Protocol::sip, "sip:" + account.bare.to_string()};
    if (auto error = core.bind(info, endpoint)) {
      PARLEY_LOG_WARN("sip", "", "bind_failed",
                      {{"account", account.bare.to_string()}, {"error", error->text}});
      return;
    }
    account.endpoint = std::move(endpoint);
    PARLEY_LOG_DEBUG("sip", "", "account_bound", {{"account", account.bare.to_string()}});
  }
  auto desired = desired_presence(account);
  if (desired) {
    desired->from = full;
    desired->to = {};
    if (account.last_sent && same_state(*account.last_sent, *desired)) return;
    account.last_sent = desired;
    // Initial available presence also makes the core flush offline messages (RFC 6121 §4.2).
    core.send_presence(*desired);
  } else if (account.last_sent && account.last_sent->type != model::PresenceType::unavailable) {
    model::Presence gone;
    gone.from = full;
    gone.type = model::PresenceType::unavailable;
    account.last_sent = gone;
    core.send_presence(std::move(gone));
  }
}

SipMessage response_for(const ServicesContext& ctx, const SipMessage& request, int status,
                        std::string_view reason, std::string_view to_tag) {
  SipMessage response = make_response(request, status, reason, to_tag);
  response.add_header("Server", ctx.config.agent_name);
  return response;
}

model::Address SipAccount::full() const {
  auto full = bare.with_resource("sip");
  return full ? std::move(full).value() : bare;
}

std::string dialog_key(std::string_view call_id, std::string_view local_tag) {
  std::string key(call_id);
  key.push_back('\n');
  key.append(local_tag);
  return key;
}

}  // namespace parley::sip
