#pragma once
// SIP digest credentials (RFC 3261 §22.4, RFC 8760 §3): the registrar keeps HA1 =
// H(username ":" realm ":" password) for MD5 and SHA-256, never the password. Computed wherever
// a password is set (parleyctl account add/passwd, XEP-0077 registration and password change),
// next to the SCRAM keys.
//
// Parley's policy: the digest username is the account's local part and the realm is the
// account's domain, so "alice@example.com" authenticates over SIP as username "alice" in realm
// "example.com" with the same password as over XMPP.
#include <cstdint>
#include <string_view>

#include "gateway/api/stores.hpp"
#include "gateway/auth/scram.hpp"
#include "mapping/model/address.hpp"

namespace parley::auth {

// HA1 in lower-case hex for both algorithms; the password is used as given (RFC 3261 has no
// normalisation step, and SIP clients hash the bytes they were configured with).
api::DigestCredential make_digest_credential(std::string_view username, std::string_view realm,
                                             std::string_view password);

// make_credentials(password) plus the SIP digest credential of `account` (username = local
// part, realm = domain).
api::Credentials make_credentials(std::string_view password, const model::Address& account,
                                  std::uint32_t iterations = kDefaultIterations);

}  // namespace parley::auth
