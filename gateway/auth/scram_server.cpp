// The server side of one SCRAM exchange (RFC 5802 §5, §7; RFC 7677 for SHA-256).
#include <algorithm>
#include <charconv>
#include <vector>

#include "gateway/auth/scram.hpp"
#include "gateway/auth/scram_crypto.hpp"

namespace parley::auth {
namespace {

using Failure = model::Expected<std::string, SaslFailure>;

// A SCRAM message is a handful of short attributes; anything bigger is abuse.
constexpr std::size_t kMaxMessageBytes = 4096;
constexpr std::size_t kServerNonceChars = 24;

Failure fail(SaslFailure f) {
  return Failure::failure(f);
}

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
}

// attr-val = ALPHA "=" value (RFC 5802 §7); returns the value if `field` is `attr`=...
std::optional<std::string_view> attribute(std::string_view field, char attr) {
  if (field.size() < 2 || field[0] != attr || field[1] != '=') return std::nullopt;
  return field.substr(2);
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// value = 1*value-char: UTF-8 except NUL and ',' (',' cannot occur after splitting).
bool valid_attr_val(std::string_view field) {
  return field.size() >= 3 && is_alpha(field[0]) && field[1] == '=' &&
         field.find('\0') == std::string_view::npos;
}

// saslname: "=2C" -> ',', "=3D" -> '='; any other '=' is malformed (RFC 5802 §5.1).
std::optional<std::string> decode_saslname(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\0') return std::nullopt;
    if (c != '=') {
      out += c;
      continue;
    }
    auto esc = s.substr(i + 1, 2);
    if (esc == "2C") {
      out += ',';
    } else if (esc == "3D") {
      out += '=';
    } else {
      return std::nullopt;
    }
    i += 2;
  }
  return out;
}

// printable = %x21-2B / %x2D-7E: visible ASCII except ','.
bool valid_nonce(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x21 && c <= 0x7E && c != ','; });
}

// The key of unknown_account_credential's salts: a random one would reveal the account is
// unknown on the second attempt.
const std::string& fake_salt_key() {
  // Immutable after first use (thread-safe static init); not business state.
  static const std::string key = random_bytes(32);
  return key;
}

}  // namespace

api::ScramCredential unknown_account_credential(ScramHash hash, std::string_view username) {
  api::ScramCredential c;
  std::string tag = std::string(mechanism_name(hash)) + '\0' + std::string(username);
  c.salt = detail::hmac(ScramHash::sha256, fake_salt_key(), tag).substr(0, 16);
  c.iterations = kDefaultIterations;
  // Random keys: the proof is still computed and compared, and can never match.
  c.stored_key = random_bytes(detail::digest_size(hash));
  c.server_key = random_bytes(detail::digest_size(hash));
  return c;
}

ScramServer::ScramServer(ScramHash hash, std::string nonce_for_tests)
    : hash_(hash), fixed_nonce_(std::move(nonce_for_tests)) {}

model::Expected<std::string, SaslFailure> ScramServer::client_first(std::string_view message) {
  // One exchange per object: a second client-first is a protocol violation.
  if (!client_first_bare_.empty()) return fail(SaslFailure::malformed_request);
  if (message.empty() || message.size() > kMaxMessageBytes) {
    return fail(SaslFailure::malformed_request);
  }
  auto fields = split_commas(message);
  // gs2-header "," username "," nonce: at least four fields (flag, authzid, n=, r=).
  if (fields.size() < 4) return fail(SaslFailure::malformed_request);

  // gs2-cbind-flag (RFC 5802 §7). We offer only the non-PLUS mechanisms, so a client asking
  // for channel binding ("p=") contradicts the mechanism it selected (§6).
  if (fields[0] != "n" && fields[0] != "y") return fail(SaslFailure::malformed_request);

  std::string authzid;
  if (!fields[1].empty()) {
    auto a = attribute(fields[1], 'a');
    if (!a) return fail(SaslFailure::malformed_request);
    auto decoded = decode_saslname(*a);
    if (!decoded) return fail(SaslFailure::malformed_request);
    authzid = std::move(*decoded);
  }

  // reserved-mext "m=": mandatory extensions we do not know MUST fail the exchange (§5.1).
  if (attribute(fields[2], 'm')) return fail(SaslFailure::malformed_request);
  auto n = attribute(fields[2], 'n');
  if (!n) return fail(SaslFailure::malformed_request);
  auto user = decode_saslname(*n);
  if (!user) return fail(SaslFailure::malformed_request);

  auto r = attribute(fields[3], 'r');
  if (!r || !valid_nonce(*r)) return fail(SaslFailure::malformed_request);
  // Optional extensions: syntax-checked, otherwise ignored (§7).
  for (std::size_t i = 4; i < fields.size(); ++i) {
    if (!valid_attr_val(fields[i])) return fail(SaslFailure::malformed_request);
  }

  gs2_header_ = std::string(fields[0]) + ',' + std::string(fields[1]) + ',';
  client_first_bare_ = std::string(message.substr(gs2_header_.size()));
  username_ = std::move(*user);
  authzid_ = std::move(authzid);
  nonce_ = std::string(*r);
  return username_;
}

std::string ScramServer::server_first(const std::optional<api::ScramCredential>& credential) {
  // Out of order (no client-first yet, or already answered): a caller bug; nothing to send.
  if (gs2_header_.empty() || !server_first_.empty()) return {};
  known_user_ = credential.has_value() && credential->iterations > 0 &&
                credential->stored_key.size() == detail::digest_size(hash_) &&
                credential->server_key.size() == detail::digest_size(hash_);
  credential_ = known_user_ ? *credential : unknown_account_credential(hash_, username_);
  nonce_ += fixed_nonce_.empty() ? random_id(kServerNonceChars) : fixed_nonce_;
  // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count
  server_first_ = "r=" + nonce_ + ",s=" + base64_encode(credential_.salt) +
                  ",i=" + std::to_string(credential_.iterations);
  return server_first_;
}

model::Expected<std::string, SaslFailure> ScramServer::client_final(std::string_view message) {
  if (server_first_.empty()) return fail(SaslFailure::malformed_request);
  // Whatever the outcome, this exchange is over: a second proof attempt must start anew.
  std::string server_first = std::move(server_first_);
  std::string gs2_header = std::move(gs2_header_);
  server_first_.clear();
  gs2_header_.clear();

  if (message.empty() || message.size() > kMaxMessageBytes) {
    return fail(SaslFailure::malformed_request);
  }
  // client-final-message = channel-binding "," nonce ["," extensions] "," proof
  auto fields = split_commas(message);
  if (fields.size() < 3) return fail(SaslFailure::malformed_request);
  auto c = attribute(fields[0], 'c');
  auto r = attribute(fields[1], 'r');
  auto p = attribute(fields.back(), 'p');
  if (!c || !r || !p) return fail(SaslFailure::malformed_request);
  for (std::size_t i = 2; i + 1 < fields.size(); ++i) {
    if (!valid_attr_val(fields[i])) return fail(SaslFailure::malformed_request);
  }
  auto cbind = base64_decode(*c);
  auto proof = base64_decode(*p);
  if (!cbind || !proof) return fail(SaslFailure::malformed_request);
  // Without channel binding, cbind-input is exactly the gs2-header (§7); a mismatch means the
  // header was tampered with (e.g. a downgrade from "y").
  if (*cbind != gs2_header) return fail(SaslFailure::not_authorized);
  if (*r != nonce_) return fail(SaslFailure::not_authorized);
  if (proof->size() != detail::digest_size(hash_)) return fail(SaslFailure::malformed_request);

  // AuthMessage := client-first-message-bare + "," + server-first-message + "," +
  //                client-final-message-without-proof                       (§3)
  std::string_view without_proof = message.substr(0, message.size() - fields.back().size() - 1);
  std::string auth_message = client_first_bare_;
  auth_message += ',';
  auth_message += server_first;
  auth_message += ',';
  auth_message += without_proof;

  // ClientKey := ClientProof XOR HMAC(StoredKey, AuthMessage); valid iff H(ClientKey) ==
  // StoredKey. Computed in full for unknown users too, so both paths cost the same.
  std::string client_signature = detail::hmac(hash_, credential_.stored_key, auth_message);
  std::string client_key = detail::xor_bytes(*proof, client_signature);
  bool proof_ok = detail::equal_ct(detail::digest(hash_, client_key), credential_.stored_key);
  if (!(proof_ok && known_user_)) return fail(SaslFailure::not_authorized);

  // server-final-message: "v=" base64(ServerSignature), ServerSignature := HMAC(ServerKey, AM)
  return "v=" + base64_encode(detail::hmac(hash_, credential_.server_key, auth_message));
}

}  // namespace parley::auth
