#pragma once
// Client side of SCRAM-SHA-1 (RFC 5802) for the benchmark driver: parleyd offers PLAIN only over
// TLS (docs/configuration.md, xmpp.allow_plain), and the driver speaks plain TCP. No channel
// binding (GS2 header "n,,") and no SASLprep: the benchmark uses ASCII credentials.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace parley::bench {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// SaltedPassword by (password, salt, iterations): RFC 5802 §5.1 lets a client cache it, and
// real clients do, so the login scenario's timed round measures the server's cost and not the
// driver's 4096 PBKDF2 iterations per login. Confined to one driver thread; bounded.
class SaltedPasswordCache {
 public:
  std::optional<std::string> find(const std::string& key) const;
  void store(std::string key, std::string salted);

 private:
  static constexpr std::size_t kMaxEntries = 1'000'000;
  std::unordered_map<std::string, std::string> entries_;
};

class ScramSha1Client {
 public:
  ScramSha1Client(std::string user, std::string password,
                  std::shared_ptr<SaltedPasswordCache> cache = nullptr);

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
  std::shared_ptr<SaltedPasswordCache> cache_;
  std::string client_nonce_;
  std::string client_first_bare_;
  std::string expected_server_signature_;
};

}  // namespace parley::bench
