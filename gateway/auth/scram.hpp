#pragma once
// SCRAM (RFC 5802, RFC 7677) credentials and the server side of the exchange.
// The server keeps only salt, iteration count, StoredKey and ServerKey: a login verifies the
// client proof with those (no key stretching per login); the password is never stored.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/api/stores.hpp"
#include "mapping/model/expected.hpp"

namespace parley::auth {

enum class ScramHash { sha1, sha256 };
std::string_view mechanism_name(ScramHash hash);  // "SCRAM-SHA-1", "SCRAM-SHA-256"

inline constexpr std::uint32_t kDefaultIterations = 4096;

// Derives one credential (PBKDF2 with the given salt) — used for storage and tests.
api::ScramCredential derive_credential(ScramHash hash, std::string_view password, std::string salt,
                                       std::uint32_t iterations);
// Both credentials with fresh random 16-byte salts.
api::Credentials make_credentials(std::string_view password,
                                  std::uint32_t iterations = kDefaultIterations);
// For SASL PLAIN: recomputes the keys from the password and compares in constant time.
// Key stretching: milliseconds of CPU, so not on an io thread (api::CpuWork).
bool verify_password(const api::ScramCredential& credential, ScramHash hash,
                     std::string_view password);
// What an unknown account is verified against, so that it costs what a known one does and
// fails like a wrong password: the salt is a keyed hash of the username (the same on every
// attempt, and nobody without the per-process key can tell it from a real one), the keys are
// random (no proof or password can match them), the iteration count is the default.
api::ScramCredential unknown_account_credential(ScramHash hash, std::string_view username);

// RFC 6120 §6.5 failure conditions used by SASL.
enum class SaslFailure {
  aborted,
  incorrect_encoding,
  invalid_authzid,
  invalid_mechanism,
  malformed_request,
  mechanism_too_weak,
  not_authorized,
  temporary_auth_failure,
};
std::string_view sasl_failure_name(SaslFailure failure);  // "not-authorized", ...

// One SCRAM exchange, server side, without channel binding (gs2 flag "n" or "y").
// Messages are the decoded SASL payloads (not base64).
class ScramServer {
 public:
  // nonce_for_tests: fixed server nonce part for deterministic tests; random when empty.
  explicit ScramServer(ScramHash hash, std::string nonce_for_tests = {});

  // client-first-message: returns the username (saslname decoded, "=2C"/"=3D"), or a failure.
  model::Expected<std::string, SaslFailure> client_first(std::string_view message);
  // The caller looked the user up; nullopt (unknown user) continues with a fake credential so
  // the exchange fails at the proof without telling whether the account exists.
  std::string server_first(const std::optional<api::ScramCredential>& credential);
  // client-final-message: verifies channel-binding echo, nonce and proof; returns the
  // server-final-message ("v=...") on success.
  model::Expected<std::string, SaslFailure> client_final(std::string_view message);

  const std::string& username() const { return username_; }
  const std::string& authzid() const { return authzid_; }

 private:
  ScramHash hash_;
  std::string fixed_nonce_;
  std::string username_;
  std::string authzid_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;
  api::ScramCredential credential_;
  bool known_user_ = false;
};

// base64 helpers (OpenSSL EVP), used by SASL and stream management.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);  // nullopt: invalid input
std::string random_bytes(std::size_t n);
std::string random_id(std::size_t chars = 16);  // [A-Za-z0-9]

}  // namespace parley::auth
