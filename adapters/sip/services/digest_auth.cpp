#include "adapters/sip/services/digest_auth.hpp"

#include "adapters/sip/wire/digest.hpp"
#include "gateway/log/log.hpp"

namespace parley::sip {
namespace {

std::string source_ip(const ServerTransaction& transaction) {
  return transaction.flow().remote_address.to_string();
}

void forbid(ServicesContext& ctx, ServerTransaction& transaction, std::string_view reason) {
  transaction.respond(response_for(ctx, transaction.request(), 403, reason));
}

const std::string& ha1_for(const api::DigestCredential& credential, DigestAlgorithm algorithm) {
  return uses_sha256(algorithm) ? credential.ha1_sha256 : credential.ha1_md5;
}

bool verifies(const api::DigestCredential& stored, const DigestCredentials& credentials,
              const SipMessage& request) {
  if (stored.realm != credentials.realm) return false;
  const std::string& ha1 = ha1_for(stored, credentials.algorithm);
  // RFC 3261 §22.4: ACK and CANCEL are authenticated with INVITE's method... they never get
  // here; the request's own method is the digest method.
  return !ha1.empty() &&
         verify_response(credentials, ha1, DigestInput{request.method, request.body});
}

// Once the credentials are verified (or not): answer a failure, else check freshness and
// replay.
void finish(ServicesContext& ctx, const std::shared_ptr<ServerTransaction>& transaction,
            AuthKind kind, const DigestCredentials& credentials, const model::Address& account,
            bool ok, const std::function<void(const model::Address&)>& on_success) {
  const SipMessage& request = transaction->request();
  const auto now = ctx.now();
  const std::string ip = source_ip(*transaction);
  const std::string user = account.bare_string();
  if (!ok) {
    ctx.throttle.record_failure(ip, user, now);
    PARLEY_LOG_INFO("sip", "", "auth_failed",
                    {{"account", user}, {"ip", ip}, {"method", request.method}});
    forbid(ctx, *transaction, "Wrong Credentials");
    return;
  }
  const auto freshness = ctx.nonces.check(credentials.nonce, credentials.realm, now);
  if (freshness != NonceManager::Check::valid ||
      !ctx.nonces.use(credentials.nonce, credentials.qop.empty() ? "" : credentials.nc, now)) {
    // Right password, old or reused nonce: retry without asking the user (RFC 7616 §3.3).
    challenge(ctx, *transaction, kind, credentials.realm, /*stale=*/true);
    return;
  }
  ctx.throttle.record_success(user);
  on_success(account);
}

}  // namespace

void challenge(ServicesContext& ctx, ServerTransaction& transaction, AuthKind kind,
               std::string_view realm, bool stale) {
  const bool www = kind == AuthKind::www;
  SipMessage response = response_for(ctx, transaction.request(), www ? 401 : 407);
  const std::string nonce = ctx.nonces.issue(realm, ctx.now());
  for (DigestAlgorithm algorithm : ctx.config.digest.algorithms) {
    DigestChallenge c;
    c.realm = std::string(realm);
    c.nonce = nonce;
    c.algorithm = algorithm;
    c.stale = stale;
    response.add_header(www ? "WWW-Authenticate" : "Proxy-Authenticate", c.to_string());
  }
  transaction.respond(std::move(response));
}

void authenticate(ServicesContext& ctx, std::shared_ptr<ServerTransaction> transaction,
                  AuthKind kind, const model::Address& claimed,
                  std::function<void(const model::Address&)> on_success) {
  const SipMessage& request = transaction->request();
  const model::Address aor = claimed.bare();
  const std::string& realm = aor.domain();
  // Either header is accepted: some clients answer a 401 for MESSAGE with Authorization.
  auto value = request.header(kind == AuthKind::www ? "Authorization" : "Proxy-Authorization");
  if (!value)
    value = request.header(kind == AuthKind::www ? "Proxy-Authorization" : "Authorization");
  if (!value) {
    challenge(ctx, *transaction, kind, realm, /*stale=*/false);
    return;
  }
  auto credentials = DigestCredentials::parse(*value);
  if (!credentials) {
    transaction->respond(response_for(ctx, request, 400, "Malformed Credentials"));
    return;
  }
  if (credentials->realm != realm) {  // answered another realm's challenge: ask again
    challenge(ctx, *transaction, kind, realm, /*stale=*/false);
    return;
  }
  if (credentials->qop == "auth-int" || (!credentials->qop.empty() && credentials->qop != "auth")) {
    transaction->respond(response_for(ctx, request, 400, "Unsupported qop"));
    return;
  }
  auto account = model::Address::from_parts(credentials->username, realm);
  if (!account || *account != aor) {
    // RFC 3261 §22: the authenticated user speaks for the AOR; we know no delegation.
    forbid(ctx, *transaction, "Credentials Do Not Match The User");
    return;
  }
  const auto now = ctx.now();
  if (!ctx.throttle.allowed(source_ip(*transaction), aor.bare_string(), now)) {
    forbid(ctx, *transaction, "Too Many Failed Attempts");
    return;
  }
  if (ctx.nonces.check(credentials->nonce, realm, now) == NonceManager::Check::invalid) {
    challenge(ctx, *transaction, kind, realm, /*stale=*/false);  // not ours: start over
    return;
  }
  // Most requests come on a nonce already in use, from an account verified a moment ago.
  if (const auto* remembered = ctx.credential_cache.find(aor, now)) {
    if (verifies(*remembered, *credentials, request)) {
      finish(ctx, transaction, kind, *credentials, aor, true, on_success);
      return;
    }
    ctx.credential_cache.forget(aor);  // the password may have changed: ask the store
  }
  ctx.credentials.lookup(
      aor, ctx.on_strand([&ctx, keep = ctx.owner.lock(), transaction, kind, creds = *credentials,
                          aor, asked_at = now, on_success = std::move(on_success)](
                             std::optional<api::DigestCredential> stored) {
        const bool ok = stored && verifies(*stored, creds, transaction->request());
        if (ok) ctx.credential_cache.remember(aor, std::move(*stored), asked_at, ctx.now());
        finish(ctx, transaction, kind, creds, aor, ok, on_success);
      }));
}

}  // namespace parley::sip
