// Digest computations (RFC 7616 §3.4.1-§3.4.3) and the header codecs, parsing through libosip2's
// authorization / www-authenticate parsers.
#include "adapters/sip/wire/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <memory>

#include "adapters/sip/wire/osip_support.hpp"
#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {
namespace {

std::string unquote(const char* raw) {
  std::string_view text = raw != nullptr ? std::string_view(raw) : std::string_view();
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out.push_back(text[i]);
  }
  return out;
}

// Builds "Digest a=b, c=d" from ordered fields; `quoted` marks quoted-string values.
class AuthBuilder {
 public:
  void add(std::string_view name, std::string_view value, bool quoted) {
    out_ += first_ ? "Digest " : ", ";
    first_ = false;
    out_ += name;
    out_ += '=';
    out_ += quoted ? quote(value) : std::string(value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  bool first_ = true;
};

bool is_digest(const char* auth_type) {
  return auth_type != nullptr && iequals(auth_type, "Digest");
}

std::string hex(const unsigned char* data, unsigned int size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0f]);
  }
  return out;
}

}  // namespace

std::string_view algorithm_name(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::md5:
      return "MD5";
    case DigestAlgorithm::md5_sess:
      return "MD5-sess";
    case DigestAlgorithm::sha256:
      return "SHA-256";
    case DigestAlgorithm::sha256_sess:
      return "SHA-256-sess";
  }
  return "MD5";
}

std::optional<DigestAlgorithm> parse_algorithm(std::string_view name) {
  if (name.empty() || iequals(name, "MD5")) return DigestAlgorithm::md5;
  if (iequals(name, "MD5-sess")) return DigestAlgorithm::md5_sess;
  if (iequals(name, "SHA-256")) return DigestAlgorithm::sha256;
  if (iequals(name, "SHA-256-sess")) return DigestAlgorithm::sha256_sess;
  return std::nullopt;
}

bool uses_sha256(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::sha256 || algorithm == DigestAlgorithm::sha256_sess;
}

std::string digest_hash_hex(DigestAlgorithm algorithm, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  const EVP_MD* md = uses_sha256(algorithm) ? EVP_sha256() : EVP_md5();
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr) != 1) return {};
  return hex(out.data(), size);
}

std::string compute_ha1(DigestAlgorithm algorithm, std::string_view username,
                        std::string_view realm, std::string_view password) {
  std::string a1;
  a1.append(username).append(":").append(realm).append(":").append(password);
  return digest_hash_hex(algorithm, a1);
}

std::string compute_response(const DigestCredentials& c, std::string_view ha1,
                             const DigestInput& input) {
  const DigestAlgorithm alg = c.algorithm;
  std::string key(ha1);
  // RFC 7616 §3.4.2: for -sess, A1 = H(user:realm:pass):nonce:cnonce.
  if (alg == DigestAlgorithm::md5_sess || alg == DigestAlgorithm::sha256_sess) {
    key = digest_hash_hex(alg, key + ":" + c.nonce + ":" + c.cnonce);
  }
  // RFC 7616 §3.4.3: A2 = method:uri, plus :H(body) for auth-int.
  std::string a2 = std::string(input.method) + ":" + c.uri;
  if (iequals(c.qop, "auth-int")) a2 += ":" + digest_hash_hex(alg, input.body);
  const std::string ha2 = digest_hash_hex(alg, a2);
  if (c.qop.empty()) {
    return digest_hash_hex(alg, key + ":" + c.nonce + ":" + ha2);  // RFC 2069 compatibility
  }
  return digest_hash_hex(
      alg, key + ":" + c.nonce + ":" + c.nc + ":" + c.cnonce + ":" + c.qop + ":" + ha2);
}

bool verify_response(const DigestCredentials& credentials, std::string_view ha1,
                     const DigestInput& input) {
  const std::string expected = compute_response(credentials, ha1, input);
  std::string given = credentials.response;
  for (char& ch : given) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (expected.empty() || expected.size() != given.size()) return false;
  return CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

std::string DigestChallenge::to_string() const {
  AuthBuilder b;
  b.add("realm", realm, true);
  b.add("nonce", nonce, true);
  if (!opaque.empty()) b.add("opaque", opaque, true);
  b.add("algorithm", algorithm_name(algorithm), false);
  if (!qop.empty()) b.add("qop", qop, true);
  if (stale) b.add("stale", "true", false);
  return b.take();
}

std::optional<DigestChallenge> DigestChallenge::parse(std::string_view header_value) {
  detail::ensure_osip_initialised();
  std::string copy(header_value);
  osip_www_authenticate_t* raw = nullptr;
  if (osip_www_authenticate_init(&raw) != 0) return std::nullopt;
  std::unique_ptr<osip_www_authenticate_t, void (*)(osip_www_authenticate_t*)> w(
      raw, osip_www_authenticate_free);
  if (osip_www_authenticate_parse(w.get(), copy.c_str()) != 0) return std::nullopt;
  if (!is_digest(w->auth_type) || w->realm == nullptr || w->nonce == nullptr) return std::nullopt;
  DigestChallenge out;
  out.realm = unquote(w->realm);
  out.nonce = unquote(w->nonce);
  out.opaque = unquote(w->opaque);
  auto algorithm = parse_algorithm(unquote(w->algorithm));
  if (!algorithm) return std::nullopt;
  out.algorithm = *algorithm;
  out.stale = iequals(unquote(w->stale), "true");
  out.qop = unquote(w->qop_options);
  return out;
}

std::string DigestCredentials::to_string() const {
  AuthBuilder b;
  b.add("username", username, true);
  b.add("realm", realm, true);
  b.add("nonce", nonce, true);
  b.add("uri", uri, true);
  b.add("response", response, true);
  b.add("algorithm", algorithm_name(algorithm), false);
  if (!cnonce.empty()) b.add("cnonce", cnonce, true);
  if (!opaque.empty()) b.add("opaque", opaque, true);
  if (!qop.empty()) b.add("qop", qop, false);
  if (!nc.empty()) b.add("nc", nc, false);
  return b.take();
}

std::optional<DigestCredentials> DigestCredentials::parse(std::string_view header_value) {
  detail::ensure_osip_initialised();
  std::string copy(header_value);
  osip_authorization_t* raw = nullptr;
  if (osip_authorization_init(&raw) != 0) return std::nullopt;
  std::unique_ptr<osip_authorization_t, void (*)(osip_authorization_t*)> a(raw,
                                                                           osip_authorization_free);
  if (osip_authorization_parse(a.get(), copy.c_str()) != 0) return std::nullopt;
  if (!is_digest(a->auth_type)) return std::nullopt;
  DigestCredentials out;
  out.username = unquote(a->username);
  out.realm = unquote(a->realm);
  out.nonce = unquote(a->nonce);
  out.uri = unquote(a->uri);
  out.response = unquote(a->response);
  out.cnonce = unquote(a->cnonce);
  out.opaque = unquote(a->opaque);
  out.qop = unquote(a->message_qop);
  out.nc = unquote(a->nonce_count);
  auto algorithm = parse_algorithm(unquote(a->algorithm));
  if (!algorithm) return std::nullopt;
  out.algorithm = *algorithm;
  if (out.username.empty() || out.realm.empty() || out.nonce.empty() || out.uri.empty() ||
      out.response.empty()) {
    return std::nullopt;
  }
  if (!out.qop.empty()) {
    // RFC 7616 §3.4: with qop, cnonce and nc are required; we only know auth and auth-int.
    if (out.cnonce.empty() || out.nc.empty()) return std::nullopt;
    if (!iequals(out.qop, "auth") && !iequals(out.qop, "auth-int")) return std::nullopt;
  }
  return out;
}

}  // namespace parley::sip
