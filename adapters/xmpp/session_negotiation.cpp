// XmppSession, part 2: stream negotiation — headers and features (RFC 6120 §4.3), STARTTLS
// (§5), SASL (§6) and resource binding (§7).
#include <algorithm>

#include "adapters/xmpp/server_context.hpp"
#include "adapters/xmpp/session_endpoint.hpp"
#include "adapters/xmpp/stream_elements.hpp"
#include "adapters/xmpp/xmpp_session.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/auth/scram.hpp"
#include "gateway/log/log.hpp"

namespace parley::xmpp {

namespace {

// RFC 6120 §4.7.5: we speak 1.0; a missing version means pre-1.0 (0.9).
bool version_supported(std::string_view version) {
  const auto dot = version.find('.');
  return dot != std::string_view::npos && version.substr(0, dot) == "1";
}

}  // namespace

void XmppSession::make_parser() {
  wire::ParserLimits limits;
  limits.max_stanza_bytes = server_->config.max_stanza_bytes;
  // The parser is owned by this session and calls back synchronously from feed().
  parser_ = std::make_unique<wire::StreamParser>(
      limits,
      wire::StreamParser::Callbacks{
          [this](const wire::StreamHeader& header) { on_stream_open(header); },
          [this](wire::XmlElement&& element) { on_element(std::move(element)); },
          [this] { on_stream_closed(); },
          [this](wire::ParseError error, std::string detail) { on_parse_error(error, detail); }});
}

void XmppSession::restart_stream() {
  // RFC 6120 §4.3.3: after STARTTLS and SASL both sides start a fresh stream.
  parser_->reset();
  header_received_ = false;
  header_sent_ = false;
}

void XmppSession::send_stream_header() {
  wire::StreamHeader ours;
  ours.from = domain_.empty() ? server_->config.domains.front() : domain_;
  ours.id = stream_id_.empty() ? (stream_id_ = auth::random_id(20)) : stream_id_;
  ours.version = "1.0";
  ours.lang = "en";
  if (stage_ != Stage::unauthenticated) ours.to = user_.bare_string();  // RFC 6120 §4.7.2
  header_sent_ = true;
  enqueue_bytes(wire::serialize_stream_header(ours));
}

void XmppSession::on_stream_open(const wire::StreamHeader& header) {
  if (life_ != Life::open) return;
  header_received_ = true;
  stream_id_ = auth::random_id(20);  // a fresh id for every stream (RFC 6120 §4.7.3)
  const auto& domains = server_->config.domains;
  std::string requested;
  if (auto to = model::Address::parse(header.to);
      to && to->local().empty() && to->resource().empty()) {
    requested = to->domain();
  }
  const bool served = std::find(domains.begin(), domains.end(), requested) != domains.end();
  // After a restart the stream stays with the domain it authenticated for.
  const bool same_domain = stage_ == Stage::unauthenticated || requested == domain_;
  if (served && same_domain) domain_ = requested;

  // RFC 6120 §4.9.1.2: errors in the header are sent after our own header.
  if (!header.stream_ns_ok || header.content_ns != xmlns::kClient) {
    close_stream(StreamError::invalid_namespace);
    return;
  }
  if (!served || !same_domain) {
    close_stream(StreamError::host_unknown);
    return;
  }
  if (!version_supported(header.version)) {
    close_stream(StreamError::unsupported_version);
    return;
  }
  send_stream_header();
  send_features();
}

void XmppSession::send_features() {
  const auto& config = server_->config;
  FeatureOffer offer;
  offer.tls_active = tls_active_;
  offer.starttls_possible = transport_ == Transport::starttls;
  offer.require_starttls = config.require_starttls;
  offer.authenticated = stage_ != Stage::unauthenticated;
  offer.allow_plain = config.allow_plain;
  // XEP-0077 registration only where a password may travel (TLS, or TLS not required).
  offer.registration_enabled =
      config.registration_enabled && (tls_active_ || !config.require_starttls);
  enqueue_bytes(make_stream_features(offer).serialize(xmlns::kClient));
}

void XmppSession::on_parse_error(wire::ParseError error, const std::string& detail) {
  PARLEY_LOG_INFO(
      "xmpp", session_id_, "parse_error",
      {{"condition", std::string(wire::parse_error_condition(error))}, {"detail", detail}});
  close_stream(mapping::xmpp::stream_error_for(error));
}

void XmppSession::on_element(wire::XmlElement&& element) {
  if (life_ != Life::open) return;  // after our </stream:stream> nothing more is processed
  const auto& ns = element.xmlns();
  const auto& name = element.name();
  if (ns == xmlns::kClient && (name == "message" || name == "presence" || name == "iq")) {
    on_stanza(std::move(element));
  } else if (ns == xmlns::kTls && name == "starttls") {
    on_starttls();
  } else if (ns == xmlns::kSasl && name == "auth") {
    on_sasl_auth(element);
  } else if (ns == xmlns::kSasl && name == "response") {
    on_sasl_response(element);
  } else if (ns == xmlns::kSasl && name == "abort") {
    on_sasl_abort();
  } else if (ns == xmlns::kSm) {
    on_sm_element(element);
  } else {
    // RFC 6120 §4.9.3.24
    close_stream(StreamError::unsupported_stanza_type);
  }
}

// ---------------------------------------------------------------- STARTTLS (RFC 6120 §5)

void XmppSession::on_starttls() {
  if (transport_ != Transport::starttls || tls_active_ || stage_ != Stage::unauthenticated) {
    // RFC 6120 §5.4.2.2: <failure/>, then the stream is closed.
    enqueue_bytes(make_empty("failure", xmlns::kTls).serialize(xmlns::kClient));
    close_stream(std::nullopt);
    return;
  }
  enqueue_bytes(make_empty("proceed", xmlns::kTls).serialize(xmlns::kClient));
  starttls_requested_ = true;  // the reader handshakes once <proceed/> is written
  // RFC 6120 §5.4.3.3: anything after <starttls/> in the clear is discarded; reset() makes
  // feed() drop the rest of this chunk.
  restart_stream();
}

// ---------------------------------------------------------------- SASL (RFC 6120 §6)

void XmppSession::on_sasl_auth(const wire::XmlElement& auth) {
  if (stage_ != Stage::unauthenticated) {
    close_stream(StreamError::policy_violation, "already authenticated");
    return;
  }
  const auto& config = server_->config;
  if (transport_ == Transport::starttls && config.require_starttls && !tls_active_) {
    // RFC 6120 §6.4.5 / §6.5.3 encryption-required: TLS is mandatory here (§5.3.1).
    enqueue_bytes(make_sasl_failure("encryption-required").serialize(xmlns::kClient));
    return;
  }
  // A new <auth/> abandons an exchange in progress and any lookup for it.
  ++sasl_attempt_;
  sasl_.reset();
  sasl_waiting_ = false;
  sasl_user_ = {};
  auto mechanism = sasl_mechanism_from_name(auth.attr_or("mechanism"));
  if (!mechanism || (*mechanism == SaslMechanism::plain && (!config.allow_plain || !tls_active_))) {
    sasl_failed(auth::SaslFailure::invalid_mechanism);
    return;
  }
  if (!server_->throttle.allowed(remote_ip_, {}, Clock::now())) {
    sasl_failed(auth::SaslFailure::temporary_auth_failure, "too many failed attempts");
    return;
  }
  std::optional<std::string> initial;
  const std::string text = auth.text();
  if (!text.empty()) {
    if (text == "=") {
      initial = std::string();  // RFC 6120 §6.4.2: an empty initial response
    } else if (auto decoded = auth::base64_decode(text)) {
      initial = std::move(*decoded);
    } else {
      sasl_failed(auth::SaslFailure::incorrect_encoding);
      return;
    }
  }
  sasl_.emplace(*mechanism);
  continue_sasl(sasl_->start(initial ? std::optional<std::string_view>(*initial) : std::nullopt));
}

void XmppSession::on_sasl_response(const wire::XmlElement& response) {
  if (!sasl_ || sasl_waiting_) {
    sasl_failed(auth::SaslFailure::malformed_request);
    return;
  }
  std::string data;
  if (const std::string text = response.text(); !text.empty() && text != "=") {
    auto decoded = auth::base64_decode(text);
    if (!decoded) {
      sasl_failed(auth::SaslFailure::incorrect_encoding);
      return;
    }
    data = std::move(*decoded);
  }
  continue_sasl(sasl_->response(data));
}

void XmppSession::on_sasl_abort() {
  // RFC 6120 §6.4.4: the exchange ends with <failure><aborted/></failure>.
  ++sasl_attempt_;
  sasl_.reset();
  sasl_waiting_ = false;
  enqueue_bytes(make_sasl_failure("aborted").serialize(xmlns::kClient));
}

void XmppSession::continue_sasl(SaslExchange::Step step) {
  if (auto* need = std::get_if<SaslExchange::NeedCredentials>(&step)) {
    auto account = model::Address::from_parts(need->username, domain_);
    if (account) sasl_user_ = *account;
    if (!server_->throttle.allowed(remote_ip_, sasl_user_.bare_string(), Clock::now())) {
      // Over the limit: refuse without looking at the password at all.
      sasl_failed(auth::SaslFailure::temporary_auth_failure, "too many failed attempts");
      return;
    }
    if (!account) {
      // Not a valid localpart: fails like an unknown account.
      on_credentials(sasl_attempt_, std::optional<api::Credentials>{});
      return;
    }
    sasl_waiting_ = true;
    auto post = poster();
    const auto attempt = sasl_attempt_;
    api::run_on_store<std::optional<api::Credentials>>(
        server_->store,
        [user = *account](api::Stores& stores) { return stores.accounts.credentials(user); },
        [post, attempt](std::optional<std::optional<api::Credentials>> looked_up) {
          post([attempt, looked_up = std::move(looked_up)](SessionContext& session) {
            static_cast<XmppSession&>(session).on_credentials(attempt, looked_up);
          });
        });
  } else if (auto* challenge = std::get_if<SaslExchange::Challenge>(&step)) {
    enqueue_bytes(make_sasl_data("challenge", challenge->data).serialize(xmlns::kClient));
  } else if (auto* success = std::get_if<SaslExchange::Success>(&step)) {
    sasl_succeeded(success->additional_data);
  } else if (auto* failure = std::get_if<SaslExchange::Failure>(&step)) {
    sasl_failed(failure->condition);
  } else if (auto* verify = std::get_if<SaslExchange::VerifyPassword>(&step)) {
    verify_plain_password(std::move(*verify));
  }
}

void XmppSession::verify_plain_password(SaslExchange::VerifyPassword verify) {
  sasl_waiting_ = true;
  const auto attempt = sasl_attempt_;
  const bool accepted =
      server_->cpu_work.submit([post = poster(), attempt, verify = std::move(verify)] {
        const bool matched =
            auth::verify_password(verify.credential, auth::ScramHash::sha256, verify.password);
        post([attempt, matched](SessionContext& session) {
          static_cast<XmppSession&>(session).on_password_checked(attempt, matched);
        });
      });
  // RFC 6120 §6.5.9: temporary-auth-failure, the client may try again later.
  if (!accepted) sasl_failed(auth::SaslFailure::temporary_auth_failure, "server busy");
}

void XmppSession::on_password_checked(std::uint64_t attempt, bool matched) {
  if (attempt != sasl_attempt_ || !sasl_ || life_ != Life::open) return;  // stale answer
  sasl_waiting_ = false;
  continue_sasl(sasl_->password_checked(matched));
}

void XmppSession::on_credentials(std::uint64_t attempt,
                                 std::optional<std::optional<api::Credentials>> looked_up) {
  if (attempt != sasl_attempt_ || !sasl_ || life_ != Life::open) return;  // stale answer
  sasl_waiting_ = false;
  if (!looked_up) {
    sasl_failed(auth::SaslFailure::temporary_auth_failure, "account store unavailable");
    return;
  }
  continue_sasl(sasl_->credentials(*looked_up));
}

void XmppSession::sasl_failed(auth::SaslFailure failure, std::string_view text) {
  const std::string mechanism = sasl_ ? std::string(sasl_mechanism_name(sasl_->mechanism())) : "";
  ++sasl_attempt_;
  sasl_.reset();
  sasl_waiting_ = false;
  enqueue_bytes(
      make_sasl_failure(auth::sasl_failure_name(failure), text).serialize(xmlns::kClient));
  PARLEY_LOG_INFO("xmpp", session_id_, "auth_fail",
                  {{"user", sasl_user_.bare_string()},
                   {"mechanism", mechanism},
                   {"condition", std::string(auth::sasl_failure_name(failure))},
                   {"ip", remote_ip_}});
  if (failure == auth::SaslFailure::aborted) return;
  if (failure != auth::SaslFailure::temporary_auth_failure) {
    server_->throttle.record_failure(remote_ip_, sasl_user_.bare_string(), Clock::now());
  }
  // RFC 6120 §6.4.5: a reasonable number of retries, then the stream is closed.
  if (++sasl_failures_ >= server_->config.auth_failures_per_stream) {
    close_stream(StreamError::policy_violation, "too many failed attempts");
  }
}

void XmppSession::sasl_succeeded(std::string_view additional_data) {
  // RFC 6120 §6.4.6: an authorization identity other than the account itself is refused.
  const std::string& authzid = sasl_->authzid();
  if (!authzid.empty() && authzid != sasl_user_.bare_string()) {
    sasl_failed(auth::SaslFailure::invalid_authzid);
    return;
  }
  const std::string mechanism(sasl_mechanism_name(sasl_->mechanism()));
  user_ = sasl_user_;
  sasl_.reset();
  ++sasl_attempt_;
  server_->throttle.record_success(user_.bare_string());
  enqueue_bytes(make_sasl_data("success", additional_data).serialize(xmlns::kClient));
  PARLEY_LOG_INFO("xmpp", session_id_, "auth_ok",
                  {{"user", user_.bare_string()}, {"mechanism", mechanism}});
  stage_ = Stage::authenticated;
  restart_stream();  // RFC 6120 §6.4.6: the client restarts the stream
}

// ---------------------------------------------------------------- bind (RFC 6120 §7)

void XmppSession::on_bind(const wire::XmlElement& iq) {
  if (iq.attr_or("type") != "set") {
    send_error(iq, model::StanzaError::make(model::ErrorCondition::bad_request));
    return;
  }
  const auto* bind = iq.child("bind", xmlns::kBind);
  std::string resource = bind ? bind->child_text("resource", xmlns::kBind) : std::string();
  // RFC 6120 §7.6: without a requested resource the server generates one.
  if (resource.empty()) resource = "parley-" + auth::random_id(10);
  auto full = user_.with_resource(resource);
  if (!full) {
    // RFC 6120 §7.7.2.1: a resource that cannot be prepared.
    send_error(iq, model::StanzaError::make(model::ErrorCondition::bad_request, full.error()));
    return;
  }
  endpoint_ = std::make_shared<SessionEndpoint>(weak_from_this());
  api::SessionInfo info{*full, model::Protocol::xmpp, session_id_};
  if (auto error = server_->core.bind(info, endpoint_)) {
    // resource-constraint (too many sessions, §7.7.2.2) or another refusal from the core.
    endpoint_.reset();
    send_error(iq, *error);
    return;
  }
  set_full_address(*full);
  stage_ = Stage::bound;
  if (flags_.carbons || flags_.roster_interested || flags_.block_list_interested) {
    server_->core.set_flags(full_, flags_);
  }
  muc_participant();  // watches for XEP-0045 §7.8.2 invitations from now on
  send(make_bind_result(iq.attr_or("id"), full_.to_string()));
  PARLEY_LOG_INFO("xmpp", session_id_, "bound", {{"jid", full_.to_string()}, {"ip", remote_ip_}});
}

}  // namespace parley::xmpp
