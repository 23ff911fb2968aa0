#include "gateway/auth/scram_crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stringprep.h>

#include <cassert>
#include <climits>
#include <memory>
#include <stdexcept>

namespace parley::auth::detail {
namespace {

const EVP_MD* md(ScramHash hash) {
  return hash == ScramHash::sha1 ? EVP_sha1() : EVP_sha256();
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::size_t digest_size(ScramHash hash) {
  return hash == ScramHash::sha1 ? 20 : 32;
}

std::string digest(ScramHash hash, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                 md(hash), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest failed");
  }
  out.resize(len);
  return out;
}

std::string hmac(ScramHash hash, std::string_view key, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  if (key.size() > INT_MAX ||
      HMAC(md(hash), key.data(), static_cast<int>(key.size()), bytes(data), data.size(),
           reinterpret_cast<unsigned char*>(out.data()), &len) == nullptr) {
    throw std::runtime_error("HMAC failed");
  }
  out.resize(len);
  return out;
}

std::string pbkdf2(ScramHash hash, std::string_view password, std::string_view salt,
                   std::uint32_t iterations) {
  if (iterations == 0 || iterations > INT_MAX || password.size() > INT_MAX ||
      salt.size() > INT_MAX) {
    throw std::invalid_argument("pbkdf2: iteration count or input size out of range");
  }
  std::string out(digest_size(hash), '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), bytes(salt),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), md(hash),
                        static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
  }
  return out;
}

std::string normalize_password(std::string_view password) {
  // SASLprep never lengthens ASCII; other scripts can grow under NFKC, so leave headroom.
  constexpr std::size_t kMaxPrepared = 4096;
  if (password.size() >= kMaxPrepared / 4 || password.find('\0') != std::string_view::npos) {
    return std::string(password);
  }
  std::string buf(kMaxPrepared, '\0');
  buf.replace(0, password.size(), password);
  // RFC 5802 §2.2: the password is a "stored string": unassigned code points are prohibited.
  if (stringprep(buf.data(), buf.size(), STRINGPREP_NO_UNASSIGNED, stringprep_saslprep) !=
      STRINGPREP_OK) {
    return std::string(password);
  }
  buf.resize(std::char_traits<char>::length(buf.c_str()));
  return buf;
}

bool equal_ct(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string xor_bytes(std::string_view a, std::string_view b) {
  assert(a.size() == b.size());
  std::string out(a.size(), '\0');
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

}  // namespace parley::auth::detail
