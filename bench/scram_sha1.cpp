#include "bench/scram_sha1.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace parley::bench {
namespace {

using Digest = std::array<unsigned char, SHA_DIGEST_LENGTH>;

Digest hmac_sha1(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length);
  return out;
}

std::string_view as_view(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// The value of "k=" in a comma-separated SCRAM attribute list (RFC 5802 §5.1).
std::optional<std::string_view> attribute(std::string_view message, char key) {
  while (!message.empty()) {
    const auto comma = message.find(',');
    const auto item = message.substr(0, comma);
    if (item.size() >= 2 && item[0] == key && item[1] == '=') return item.substr(2);
    if (comma == std::string_view::npos) break;
    message.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes.
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

std::optional<std::string> SaltedPasswordCache::find(const std::string& key) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void SaltedPasswordCache::store(std::string key, std::string salted) {
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(std::move(key), std::move(salted));
}

ScramSha1Client::ScramSha1Client(std::string user, std::string password,
                                 std::shared_ptr<SaltedPasswordCache> cache)
    : user_(std::move(user)), password_(std::move(password)), cache_(std::move(cache)) {}

std::string ScramSha1Client::client_first() {
  std::array<unsigned char, 18> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  // base64 of random bytes is printable and has no ',' (RFC 5802 §5.1 "r").
  client_nonce_ = base64_encode({reinterpret_cast<const char*>(random.data()), random.size()});
  client_first_bare_ = "n=" + user_ + ",r=" + client_nonce_;
  return "n,," + client_first_bare_;
}

std::optional<std::string> ScramSha1Client::client_final(std::string_view server_first) {
  const auto nonce = attribute(server_first, 'r');
  const auto salt_b64 = attribute(server_first, 's');
  const auto iterations_text = attribute(server_first, 'i');
  if (!nonce || !salt_b64 || !iterations_text) return std::nullopt;
  if (nonce->size() <= client_nonce_.size() ||
      nonce->substr(0, client_nonce_.size()) != client_nonce_) {
    return std::nullopt;
  }
  const auto salt = base64_decode(*salt_b64);
  int iterations = 0;
  const auto [end, ec] = std::from_chars(
      iterations_text->data(), iterations_text->data() + iterations_text->size(), iterations);
  if (!salt || ec != std::errc{} || iterations < 1) return std::nullopt;

  // RFC 5802 §3: SaltedPassword := Hi(password, salt, i) = PBKDF2-HMAC-SHA-1.
  Digest salted{};
  std::string cache_key;
  std::optional<std::string> cached;
  if (cache_) {
    cache_key = password_ + '\0' + *salt + '\0' + std::string(*iterations_text);
    cached = cache_->find(cache_key);
  }
  if (cached && cached->size() == salted.size()) {
    std::copy(cached->begin(), cached->end(), reinterpret_cast<char*>(salted.data()));
  } else {
    PKCS5_PBKDF2_HMAC(password_.data(), static_cast<int>(password_.size()),
                      reinterpret_cast<const unsigned char*>(salt->data()),
                      static_cast<int>(salt->size()), iterations, EVP_sha1(),
                      static_cast<int>(salted.size()), salted.data());
    if (cache_) cache_->store(std::move(cache_key), std::string(as_view(salted)));
  }
  const Digest client_key = hmac_sha1(as_view(salted), "Client Key");
  Digest stored_key{};
  SHA1(client_key.data(), client_key.size(), stored_key.data());
  // "biws" = base64("n,,"), the GS2 header without channel binding.
  const std::string without_proof = "c=biws,r=" + std::string(*nonce);
  const std::string auth_message =
      client_first_bare_ + "," + std::string(server_first) + "," + without_proof;
  const Digest client_signature = hmac_sha1(as_view(stored_key), auth_message);
  Digest proof{};
  for (std::size_t i = 0; i < proof.size(); ++i) proof[i] = client_key[i] ^ client_signature[i];
  const Digest server_key = hmac_sha1(as_view(salted), "Server Key");
  expected_server_signature_ = base64_encode(as_view(hmac_sha1(as_view(server_key), auth_message)));
  return without_proof + ",p=" + base64_encode(as_view(proof));
}

bool ScramSha1Client::verify_server_final(std::string_view server_final) const {
  const auto verifier = attribute(server_final, 'v');
  return verifier && !expected_server_signature_.empty() && *verifier == expected_server_signature_;
}

}  // namespace parley::bench
