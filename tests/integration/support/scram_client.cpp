#include "tests/integration/support/scram_client.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <map>
#include <stdexcept>
#include <vector>

namespace parley::it {
namespace {

const EVP_MD* digest_of(ScramHash hash) {
  return hash == ScramHash::sha1 ? EVP_sha1() : EVP_sha256();
}

std::string hmac(const EVP_MD* md, const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hash_of(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string xor_bytes(const std::string& a, const std::string& b) {
  std::string out(a.size(), '\0');
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

// "a=1,b=2" -> {a:1, b:2}; values may contain '='.
std::map<char, std::string> parse_attributes(const std::string& message) {
  std::map<char, std::string> out;
  std::size_t pos = 0;
  while (pos < message.size()) {
    auto comma = message.find(',', pos);
    if (comma == std::string::npos) comma = message.size();
    const std::string part = message.substr(pos, comma - pos);
    if (part.size() >= 2 && part[1] == '=') out[part[0]] = part.substr(2);
    pos = comma + 1;
  }
  return out;
}

}  // namespace

std::string base64_encode(const std::string& bytes) {
  std::vector<unsigned char> out(4 * ((bytes.size() + 2) / 3) + 1);
  const int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  return std::string(reinterpret_cast<char*>(out.data()), static_cast<std::size_t>(n));
}

std::optional<std::string> base64_decode(const std::string& text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::vector<unsigned char> out(text.size() / 4 * 3 + 1);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the bytes the '=' padding stands for.
  for (auto it = text.rbegin(); it != text.rend() && *it == '=' && len > 0; ++it) --len;
  return std::string(reinterpret_cast<char*>(out.data()), len);
}

ScramClient::ScramClient(ScramHash hash, std::string user, std::string password)
    : hash_(hash), user_(std::move(user)), password_(std::move(password)) {
  unsigned char raw[18];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("RAND_bytes");
  client_nonce_ = base64_encode(std::string(reinterpret_cast<char*>(raw), sizeof raw));
}

std::string ScramClient::client_first() {
  client_first_bare_ = "n=" + user_ + ",r=" + client_nonce_;
  return "n,," + client_first_bare_;
}

std::optional<std::string> ScramClient::client_final(const std::string& server_first) {
  auto attrs = parse_attributes(server_first);
  const auto& nonce = attrs['r'];
  auto salt = base64_decode(attrs['s']);
  const int iterations = std::atoi(attrs['i'].c_str());
  if (nonce.rfind(client_nonce_, 0) != 0 || nonce.size() == client_nonce_.size() || !salt ||
      iterations <= 0) {
    return std::nullopt;
  }
  const EVP_MD* md = digest_of(hash_);
  const int digest_len = EVP_MD_size(md);
  std::string salted(static_cast<std::size_t>(digest_len), '\0');
  PKCS5_PBKDF2_HMAC(password_.data(), static_cast<int>(password_.size()),
                    reinterpret_cast<const unsigned char*>(salt->data()),
                    static_cast<int>(salt->size()), iterations, md, digest_len,
                    reinterpret_cast<unsigned char*>(salted.data()));
  const std::string client_key = hmac(md, salted, "Client Key");
  const std::string stored_key = hash_of(md, client_key);
  const std::string without_proof = "c=" + base64_encode("n,,") + ",r=" + nonce;
  const std::string auth_message = client_first_bare_ + "," + server_first + "," + without_proof;
  const std::string signature = hmac(md, stored_key, auth_message);
  const std::string server_key = hmac(md, salted, "Server Key");
  expected_server_signature_ = hmac(md, server_key, auth_message);
  return without_proof + ",p=" + base64_encode(xor_bytes(client_key, signature));
}

bool ScramClient::verify_server_final(const std::string& server_final) const {
  auto attrs = parse_attributes(server_final);
  auto signature = base64_decode(attrs['v']);
  return signature && !expected_server_signature_.empty() &&
         *signature == expected_server_signature_;
}

}  // namespace parley::it
