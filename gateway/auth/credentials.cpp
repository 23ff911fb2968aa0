// SCRAM credential derivation (RFC 5802 §3) and the SASL vocabulary.
#include <array>

#include "gateway/auth/scram.hpp"
#include "gateway/auth/scram_crypto.hpp"

namespace parley::auth {

std::string_view mechanism_name(ScramHash hash) {
  return hash == ScramHash::sha1 ? "SCRAM-SHA-1" : "SCRAM-SHA-256";
}

std::string_view sasl_failure_name(SaslFailure failure) {
  // RFC 6120 §6.5.
  static constexpr std::array<std::string_view, 8> kNames = {
      "aborted",           "incorrect-encoding", "invalid-authzid", "invalid-mechanism",
      "malformed-request", "mechanism-too-weak", "not-authorized",  "temporary-auth-failure",
  };
  auto i = static_cast<std::size_t>(failure);
  return i < kNames.size() ? kNames[i] : std::string_view("not-authorized");
}

api::ScramCredential derive_credential(ScramHash hash, std::string_view password, std::string salt,
                                       std::uint32_t iterations) {
  // RFC 5802 §3:
  //   SaltedPassword := Hi(Normalize(password), salt, i)
  //   ClientKey := HMAC(SaltedPassword, "Client Key");  StoredKey := H(ClientKey)
  //   ServerKey := HMAC(SaltedPassword, "Server Key")
  std::string salted = detail::pbkdf2(hash, detail::normalize_password(password), salt, iterations);
  api::ScramCredential c;
  c.stored_key = detail::digest(hash, detail::hmac(hash, salted, "Client Key"));
  c.server_key = detail::hmac(hash, salted, "Server Key");
  c.salt = std::move(salt);
  c.iterations = iterations;
  return c;
}

api::Credentials make_credentials(std::string_view password, std::uint32_t iterations) {
  api::Credentials out;
  out.sha1 = derive_credential(ScramHash::sha1, password, random_bytes(16), iterations);
  out.sha256 = derive_credential(ScramHash::sha256, password, random_bytes(16), iterations);
  return out;
}

bool verify_password(const api::ScramCredential& credential, ScramHash hash,
                     std::string_view password) {
  if (credential.iterations == 0 || credential.stored_key.size() != detail::digest_size(hash)) {
    return false;
  }
  auto derived = derive_credential(hash, password, credential.salt, credential.iterations);
  // Both compared without short-circuit so the time does not depend on which one differs.
  bool stored_ok = detail::equal_ct(derived.stored_key, credential.stored_key);
  bool server_ok = detail::equal_ct(derived.server_key, credential.server_key);
  return stored_ok & server_ok;
}

}  // namespace parley::auth
