#pragma once
// Digest authentication of requests (RFC 3261 §22, RFC 7616, RFC 8760) against the accounts'
// stored HA1s: 401/407 challenges (one per configured algorithm, most preferred first), nonce
// checks (NonceManager: HMAC, expiry -> stale=true, nonce-count replay), failure throttling
// (AuthThrottle -> 403). The username is the account's local part and the realm its domain
// (gateway/auth/digest_credential.hpp). Credentials from any of our nonces are accepted for
// any method, so a client may keep using the nonce it registered with (with increasing nc).
#include <functional>
#include <memory>

#include "adapters/sip/services/services_context.hpp"

namespace parley::sip {

enum class AuthKind {
  www,    // 401 + WWW-Authenticate / Authorization (REGISTER, RFC 3261 §22.2)
  proxy,  // 407 + Proxy-Authenticate / Proxy-Authorization (other requests, §22.3)
};

// Authenticates `transaction`'s request as `claimed` (the AOR it speaks for: To of a REGISTER,
// From otherwise). On success calls `on_success` on the strand; otherwise answers the request
// (401/407 challenge, 400 malformed credentials, 403 wrong credentials / throttled / another
// user) and does not call it. Must be called on the strand.
void authenticate(ServicesContext& ctx, std::shared_ptr<ServerTransaction> transaction,
                  AuthKind kind, const model::Address& claimed,
                  std::function<void(const model::Address&)> on_success);

// The challenge response alone (used when a request has no credentials at all).
void challenge(ServicesContext& ctx, ServerTransaction& transaction, AuthKind kind,
               std::string_view realm, bool stale);

}  // namespace parley::sip
