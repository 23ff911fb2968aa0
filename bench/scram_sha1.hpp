#pragma once
// Client side of SCRAM-SHA-1 (RFC 5802) for the benchmark driver: parleyd offers PLAIN only over
// TLS (docs/configuration.md, xmpp.allow_plain), and the driver speaks plain TCP. No channel
// binding (GS2 header "n,,") and no SASLprep: the benchmark uses ASCII credentials.
#include <optional>
#include <string>
#include <string_view>

namespace parley::bench {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

class ScramSha1Client {
 public:
  ScramSha1Client(std::string user, std::string password);

  // RFC 5802 §5.1 client-first-message (raw bytes, not base64).
  std::string client_first();
  // client-final-message for the server-first-message; nullopt when it is malformed, its
  // nonce does not extend ours, or the iteration count is unusable.
  std::optional<std::string> client_final(std::string_view server_first);
  // RFC 5802 §3: "v=" must carry the ServerSignature.
  bool verify_server_final(std::string_view server_final) const;

 private:
  std::string user_;
  std::string password_;
  std::string client_nonce_;
  std::string client_first_bare_;
  std::string expected_server_signature_;
};

}  // namespace parley::bench
