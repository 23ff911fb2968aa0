#pragma once
// Private to parley_auth: the SCRAM primitives of RFC 5802 §2.2 over OpenSSL's one-shot APIs.
// Everything works on raw bytes held in std::string.
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/auth/scram.hpp"

namespace parley::auth::detail {

std::size_t digest_size(ScramHash hash);
// H(str)
std::string digest(ScramHash hash, std::string_view data);
// HMAC(key, str)
std::string hmac(ScramHash hash, std::string_view key, std::string_view data);
// Hi(str, salt, i) == PBKDF2 with HMAC-H and dkLen = output size of H (RFC 5802 §2.2).
std::string pbkdf2(ScramHash hash, std::string_view password, std::string_view salt,
                   std::uint32_t iterations);
// Normalize(str): SASLprep (RFC 4013) as a stored string; falls back to the raw bytes when the
// password is not valid for SASLprep, so such passwords still work (consistently) rather than
// locking the account out.
std::string normalize_password(std::string_view password);
// Constant-time equality (CRYPTO_memcmp); different lengths compare unequal.
bool equal_ct(std::string_view a, std::string_view b);
// a XOR b, both of the same length.
std::string xor_bytes(std::string_view a, std::string_view b);

}  // namespace parley::auth::detail
