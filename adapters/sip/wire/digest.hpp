#pragma once
// HTTP Digest for SIP (RFC 3261 §22.4, RFC 7616, RFC 8760): parse Authorization /
// Proxy-Authorization, build WWW-Authenticate / Proxy-Authenticate challenges, and compute or
// verify responses from a stored HA1 = H(username ":" realm ":" password) — the password itself
// is never needed on the server. Nonce issuing, expiry and replay protection are the
// registrar's (it knows its clock and its nonce table); this file is pure.
#include <optional>
#include <string>
#include <string_view>

namespace parley::sip {

enum class DigestAlgorithm { md5, md5_sess, sha256, sha256_sess };
std::string_view algorithm_name(DigestAlgorithm algorithm);  // "MD5", "MD5-sess", "SHA-256", ...
// Case-insensitive; a missing algorithm parameter means MD5 (RFC 7616 §3.3).
std::optional<DigestAlgorithm> parse_algorithm(std::string_view name);
// The hash behind an algorithm: MD5 for md5/md5_sess, SHA-256 for sha256/sha256_sess.
bool uses_sha256(DigestAlgorithm algorithm);

// A WWW-Authenticate or Proxy-Authenticate value (RFC 7616 §3.3). We always offer qop=auth.
struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string opaque;  // optional: "" omits it
  DigestAlgorithm algorithm = DigestAlgorithm::md5;
  bool stale = false;             // RFC 7616 §3.3: the nonce expired, the credentials were right
  std::string qop = "auth";       // "" for an RFC 2069 style challenge
  std::string to_string() const;  // "Digest realm=\"...\", nonce=\"...\", ..."
  static std::optional<DigestChallenge> parse(std::string_view header_value);  // for clients
};

// An Authorization or Proxy-Authorization value (RFC 7616 §3.4).
struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;       // digest-uri, as the client sent it
  std::string response;  // lower-case hex
  DigestAlgorithm algorithm = DigestAlgorithm::md5;
  std::string cnonce;
  std::string opaque;
  std::string qop;                // "", "auth" or "auth-int"
  std::string nc;                 // 8 hex digits when qop is present
  std::string to_string() const;  // for clients and tests
  // nullopt: not Digest, or a required field (username, realm, nonce, uri, response) missing,
  // or qop given without cnonce/nc, or an unknown algorithm.
  static std::optional<DigestCredentials> parse(std::string_view header_value);
};

// H(data) as lower-case hex with the algorithm's hash.
std::string digest_hash_hex(DigestAlgorithm algorithm, std::string_view data);
// HA1 = H(username:realm:password) — what the account store keeps (RFC 8760 §2.1 per hash).
std::string compute_ha1(DigestAlgorithm algorithm, std::string_view username,
                        std::string_view realm, std::string_view password);

struct DigestInput {
  std::string_view method;  // the request's method (RFC 3261 §22.4: ACK/CANCEL use INVITE's)
  std::string_view body;    // only used for qop=auth-int
};

// The expected `response` for `credentials` given the stored HA1 (hex, for the credentials'
// hash). For the -sess variants the session key H(HA1:nonce:cnonce) is derived here.
std::string compute_response(const DigestCredentials& credentials, std::string_view ha1,
                             const DigestInput& input);
// Constant-time comparison of credentials.response with compute_response(...).
bool verify_response(const DigestCredentials& credentials, std::string_view ha1,
                     const DigestInput& input);

}  // namespace parley::sip
