#include "adapters/xmpp/sasl_exchange.hpp"

#include <utility>

namespace parley::xmpp {

std::optional<SaslMechanism> sasl_mechanism_from_name(std::string_view name) {
  if (name == "SCRAM-SHA-256") return SaslMechanism::scram_sha256;
  if (name == "SCRAM-SHA-1") return SaslMechanism::scram_sha1;
  if (name == "PLAIN") return SaslMechanism::plain;
  return std::nullopt;
}

std::string_view sasl_mechanism_name(SaslMechanism mechanism) {
  switch (mechanism) {
    case SaslMechanism::scram_sha256:
      return "SCRAM-SHA-256";
    case SaslMechanism::scram_sha1:
      return "SCRAM-SHA-1";
    case SaslMechanism::plain:
      return "PLAIN";
  }
  return "PLAIN";
}

SaslExchange::SaslExchange(SaslMechanism mechanism, std::string scram_nonce_for_tests)
    : mechanism_(mechanism) {
  if (mechanism == SaslMechanism::scram_sha256) {
    scram_.emplace(auth::ScramHash::sha256, std::move(scram_nonce_for_tests));
  } else if (mechanism == SaslMechanism::scram_sha1) {
    scram_.emplace(auth::ScramHash::sha1, std::move(scram_nonce_for_tests));
  }
}

SaslExchange::Step SaslExchange::fail(auth::SaslFailure condition) {
  state_ = State::done;
  plain_password_.clear();
  return Failure{condition};
}

SaslExchange::Step SaslExchange::start(std::optional<std::string_view> initial_response) {
  if (state_ != State::initial) return fail(auth::SaslFailure::malformed_request);
  if (!initial_response) {
    // RFC 6120 §6.4.2: no initial response, the server sends an empty challenge.
    state_ = State::awaiting_first;
    return Challenge{};
  }
  return first_message(*initial_response);
}

SaslExchange::Step SaslExchange::first_message(std::string_view data) {
  if (scram_) {
    auto user = scram_->client_first(data);
    if (!user) return fail(user.error());
    username_ = *user;
    authzid_ = scram_->authzid();
    state_ = State::awaiting_credentials;
    return NeedCredentials{username_};
  }
  // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd
  const auto first = data.find('\0');
  if (first == std::string_view::npos) return fail(auth::SaslFailure::malformed_request);
  const auto second = data.find('\0', first + 1);
  if (second == std::string_view::npos) return fail(auth::SaslFailure::malformed_request);
  if (data.find('\0', second + 1) != std::string_view::npos) {
    return fail(auth::SaslFailure::malformed_request);
  }
  authzid_ = std::string(data.substr(0, first));
  username_ = std::string(data.substr(first + 1, second - first - 1));
  plain_password_ = std::string(data.substr(second + 1));
  if (username_.empty() || plain_password_.empty()) {
    return fail(auth::SaslFailure::malformed_request);
  }
  state_ = State::awaiting_credentials;
  return NeedCredentials{username_};
}

SaslExchange::Step SaslExchange::credentials(const std::optional<api::Credentials>& credentials) {
  if (state_ != State::awaiting_credentials) return fail(auth::SaslFailure::malformed_request);
  if (scram_) {
    std::optional<api::ScramCredential> credential;
    if (credentials) {
      credential =
          mechanism_ == SaslMechanism::scram_sha256 ? credentials->sha256 : credentials->sha1;
    }
    state_ = State::awaiting_final;
    return Challenge{scram_->server_first(credential)};
  }
  state_ = State::awaiting_password_check;
  VerifyPassword verify{credentials
                            ? credentials->sha256
                            : auth::unknown_account_credential(auth::ScramHash::sha256, username_),
                        std::move(plain_password_)};
  plain_password_.clear();
  return verify;
}

SaslExchange::Step SaslExchange::password_checked(bool matched) {
  if (state_ != State::awaiting_password_check) return fail(auth::SaslFailure::malformed_request);
  state_ = State::done;
  if (!matched) return Failure{auth::SaslFailure::not_authorized};
  return Success{};
}

SaslExchange::Step SaslExchange::response(std::string_view data) {
  switch (state_) {
    case State::awaiting_first:
      return first_message(data);
    case State::awaiting_final: {
      auto final_message = scram_->client_final(data);
      if (!final_message) return fail(final_message.error());
      state_ = State::done;
      return Success{*final_message};
    }
    default:
      // A response while we owe the client an answer, or after the end (RFC 6120 §6.4.5).
      return fail(auth::SaslFailure::malformed_request);
  }
}

}  // namespace parley::xmpp
