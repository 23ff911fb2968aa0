// SIP digest HA1 (RFC 3261 §22.4 "A1 = username-value ':' realm-value ':' passwd", RFC 8760 §3
// for SHA-256) over OpenSSL's one-shot EVP digest.
#include "gateway/auth/digest_credential.hpp"

#include <openssl/evp.h>

#include <array>
#include <string>

namespace parley::auth {
namespace {

std::string hex_digest(const EVP_MD* md, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0x0f]);
  }
  return hex;
}

}  // namespace

api::DigestCredential make_digest_credential(std::string_view username, std::string_view realm,
                                             std::string_view password) {
  std::string a1;
  a1.reserve(username.size() + realm.size() + password.size() + 2);
  a1.append(username).append(":").append(realm).append(":").append(password);
  api::DigestCredential credential;
  credential.realm = std::string(realm);
  credential.ha1_md5 = hex_digest(EVP_md5(), a1);
  credential.ha1_sha256 = hex_digest(EVP_sha256(), a1);
  return credential;
}

api::Credentials make_credentials(std::string_view password, const model::Address& account,
                                  std::uint32_t iterations) {
  api::Credentials credentials = make_credentials(password, iterations);
  if (!account.local().empty())
    credentials.sip = make_digest_credential(account.local(), account.domain(), password);
  return credentials;
}

}  // namespace parley::auth
