#pragma once
// A minimal SCRAM client (RFC 5802 §3) for the tests, written against OpenSSL directly so the
// server side is checked by an independent implementation.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <map>
#include <string>
#include <string_view>

#include "gateway/auth/scram.hpp"

namespace parley::xmpp::test {

class ScramClient {
 public:
  ScramClient(auth::ScramHash hash, std::string user, std::string password,
              std::string nonce = "clientnonce123")
      : md_(hash == auth::ScramHash::sha256 ? EVP_sha256() : EVP_sha1()),
        user_(std::move(user)),
        password_(std::move(password)),
        nonce_(std::move(nonce)) {}

  std::string client_first() {
    bare_ = "n=" + user_ + ",r=" + nonce_;
    return "n,," + bare_;
  }

  // Returns the client-final-message for the server-first-message.
  std::string client_final(std::string_view server_first) {
    server_first_ = std::string(server_first);
    auto fields = parse(server_first);
    const std::string salt = *auth::base64_decode(fields["s"]);
    const int iterations = std::stoi(fields["i"]);
    std::string salted(EVP_MD_size(md_), '\0');
    PKCS5_PBKDF2_HMAC(password_.data(), static_cast<int>(password_.size()),
                      reinterpret_cast<const unsigned char*>(salt.data()),
                      static_cast<int>(salt.size()), iterations, md_,
                      static_cast<int>(salted.size()),
                      reinterpret_cast<unsigned char*>(salted.data()));
    const std::string client_key = hmac(salted, "Client Key");
    const std::string stored_key = digest(client_key);
    const std::string without_proof = "c=biws,r=" + fields["r"];
    const std::string auth_message = bare_ + "," + server_first_ + "," + without_proof;
    const std::string signature = hmac(stored_key, auth_message);
    std::string proof = client_key;
    for (std::size_t i = 0; i < proof.size(); ++i) proof[i] ^= signature[i];
    server_key_ = hmac(salted, "Server Key");
    expected_server_signature_ = hmac(server_key_, auth_message);
    return without_proof + ",p=" + auth::base64_encode(proof);
  }

  bool verify_server_final(std::string_view server_final) {
    auto fields = parse(server_final);
    auto v = auth::base64_decode(fields["v"]);
    return v && *v == expected_server_signature_;
  }

 private:
  static std::map<std::string, std::string> parse(std::string_view message) {
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos < message.size()) {
      auto comma = message.find(',', pos);
      if (comma == std::string_view::npos) comma = message.size();
      auto part = message.substr(pos, comma - pos);
      if (part.size() >= 2 && part[1] == '=') out[std::string(part.substr(0, 1))] = part.substr(2);
      pos = comma + 1;
    }
    return out;
  }
  std::string hmac(std::string_view key, std::string_view data) const {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(md_, key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
  }
  std::string digest(std::string_view data) const {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), out, &len, md_, nullptr);
    return std::string(reinterpret_cast<char*>(out), len);
  }

  const EVP_MD* md_;
  std::string user_;
  std::string password_;
  std::string nonce_;
  std::string bare_;
  std::string server_first_;
  std::string server_key_;
  std::string expected_server_signature_;
};

}  // namespace parley::xmpp::test
