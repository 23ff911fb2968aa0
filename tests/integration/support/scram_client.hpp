#pragma once
// The client side of SCRAM (RFC 5802; SHA-256 per RFC 7677) written independently of the
// daemon's gateway/auth, so a mistake in one does not hide in the other. No channel binding
// ("n,," GS2 header) and no SASLprep: the tests use ASCII credentials.
#include <optional>
#include <string>

namespace parley::it {

enum class ScramHash { sha1, sha256 };

std::string base64_encode(const std::string& bytes);
std::optional<std::string> base64_decode(const std::string& text);

class ScramClient {
 public:
  ScramClient(ScramHash hash, std::string user, std::string password);

  // RFC 5802 §5.1: "n,,n=user,r=nonce" (the raw bytes; base64 is the caller's job).
  std::string client_first();
  // The client-final-message for a server-first-message; nullopt if it is malformed or its
  // nonce does not extend ours (RFC 5802 §5.1 "r").
  std::optional<std::string> client_final(const std::string& server_first);
  // RFC 5802 §3: the server proves it knows the password with v=ServerSignature.
  bool verify_server_final(const std::string& server_final) const;

 private:
  ScramHash hash_;
  std::string user_;
  std::string password_;
  std::string client_nonce_;
  std::string client_first_bare_;
  std::string expected_server_signature_;
};

}  // namespace parley::it
