#pragma once
// SaslExchange: one SASL authentication exchange (RFC 6120 §6.4) with the mechanisms we
// offer — SCRAM-SHA-256, SCRAM-SHA-1 (RFC 5802/7677) and PLAIN (RFC 4616, only over TLS).
// Pure: payloads are the decoded (not base64) SASL messages, and the account lookup is left
// to the caller, which gets a NeedCredentials step and answers with credentials(). PLAIN's
// key stretching is left to the caller too (VerifyPassword, answered with password_checked()):
// it takes milliseconds, which the caller spends off its io thread.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "gateway/api/stores.hpp"
#include "gateway/auth/scram.hpp"

namespace parley::xmpp {

enum class SaslMechanism { scram_sha256, scram_sha1, plain };
std::optional<SaslMechanism> sasl_mechanism_from_name(std::string_view name);
std::string_view sasl_mechanism_name(SaslMechanism mechanism);

class SaslExchange {
 public:
  struct NeedCredentials {
    std::string username;  // the SASL authcid (our accounts' localpart)
  };
  struct Challenge {
    std::string data;
  };
  struct Success {
    std::string additional_data;  // SCRAM server-final-message; empty for PLAIN
  };
  struct Failure {
    auth::SaslFailure condition;
  };
  // PLAIN: auth::verify_password(credential, sha256, password), then password_checked(). An
  // unknown account comes with auth::unknown_account_credential, which costs the same and
  // never matches.
  struct VerifyPassword {
    api::ScramCredential credential;
    std::string password;
  };
  using Step = std::variant<NeedCredentials, Challenge, Success, Failure, VerifyPassword>;

  // scram_nonce_for_tests: fixed server nonce (deterministic tests); random when empty.
  explicit SaslExchange(SaslMechanism mechanism, std::string scram_nonce_for_tests = {});

  SaslMechanism mechanism() const { return mechanism_; }
  // The <auth/> element's initial response; nullopt when the element had no text (RFC 6120
  // §6.4.2: "=" stands for an empty response, no text for none).
  Step start(std::optional<std::string_view> initial_response);
  // After NeedCredentials: the account's credentials (nullopt: unknown account, which fails
  // like a wrong password without telling the two apart).
  Step credentials(const std::optional<api::Credentials>& credentials);
  // After VerifyPassword: whether the password matched.
  Step password_checked(bool matched);
  // A <response/> from the client.
  Step response(std::string_view data);

  const std::string& username() const { return username_; }
  const std::string& authzid() const { return authzid_; }

 private:
  enum class State {
    initial,
    awaiting_first,
    awaiting_credentials,
    awaiting_password_check,
    awaiting_final,
    done
  };
  Step first_message(std::string_view data);
  Step fail(auth::SaslFailure condition);

  SaslMechanism mechanism_;
  State state_ = State::initial;
  std::optional<auth::ScramServer> scram_;
  std::string username_;
  std::string authzid_;
  std::string plain_password_;
};

}  // namespace parley::xmpp
