// XEP-0077 in-band registration: before authentication, account creation (when the
// administrator enabled it); after authentication, password change (§3.3) and account
// removal (§3.2) for the logged-in account.
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/features/namespaces.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/auth/digest_credential.hpp"
#include "gateway/auth/scram.hpp"
#include "gateway/log/log.hpp"

namespace parley::xmpp::features {

namespace {

using model::ErrorCondition;

void send_query_result(SessionContext& session, const wire::XmlElement& iq,
                       wire::XmlElement query) {
  wire::XmlElement result = make_result(session, iq);
  result.add_child(std::move(query));
  session.send(std::move(result));
}

// Runs `work` on the store thread and answers `iq`: result when it returned true,
// `rejected` when false, internal-server-error when the transaction failed.
void store_and_answer(SessionContext& session, const wire::XmlElement& iq,
                      std::function<bool(api::Stores&)> work, ErrorCondition rejected) {
  api::run_on_store<bool>(session.store(), std::move(work),
                          [post = session.poster(), iq, rejected](std::optional<bool> ok) {
                            post([iq, rejected, ok](SessionContext& s) {
                              if (!ok) {
                                reply_error(s, iq, ErrorCondition::internal_server_error);
                              } else if (!*ok) {
                                reply_error(s, iq, rejected);
                              } else {
                                s.send(make_result(s, iq));
                              }
                            });
                          });
}

// Derives `account`'s credentials from `password` on the CPU work threads (PBKDF2 for both
// SCRAM hashes plus the SIP digest HA1 for (local part, domain), RFC 3261 §22.4: ~3 ms that
// no io thread should spend) and stores them with `save(stores, account, credentials)`, answering
// `iq` as store_and_answer does. With the work threads' queue full the answer is
// resource-constraint (RFC 6120 §8.3.3.18, type wait): try again later.
void derive_and_store(
    SessionContext& session, const wire::XmlElement& iq, std::string password,
    const model::Address& account,
    std::function<bool(api::Stores&, const model::Address&, const api::Credentials&)> save,
    ErrorCondition rejected) {
  const bool accepted = session.cpu_work().submit([post = session.poster(), iq,
                                                   password = std::move(password), account, save,
                                                   rejected] {
    api::Credentials credentials = auth::make_credentials(password, account);
    post([iq, account, save, rejected, credentials = std::move(credentials)](SessionContext& s) {
      store_and_answer(
          s, iq,
          [account, save, credentials](api::Stores& stores) {
            return save(stores, account, credentials);
          },
          rejected);
    });
  });
  if (!accepted) {
    reply_error(session, iq, ErrorCondition::resource_constraint, "busy, try again later");
  }
}

// ---- before authentication: XEP-0077 §3.1 ----

void register_get(SessionContext& session, const wire::XmlElement& iq) {
  wire::XmlElement query("query", std::string(ns::kRegister));
  query.add_child("instructions")
      .set_text("Choose a username and password to register with this server.");
  query.add_child("username");
  query.add_child("password");
  send_query_result(session, iq, std::move(query));
}

void register_set(SessionContext& session, const wire::XmlElement& iq,
                  const wire::XmlElement& query) {
  // §3.2 needs an existing, authenticated registration.
  if (query.child("remove") != nullptr) {
    reply_error(session, iq, ErrorCondition::not_authorized);
    return;
  }
  const wire::XmlElement* username = query.child("username");
  const wire::XmlElement* password = query.child("password");
  // §3.1 (Example 9): required information not provided -> not-acceptable.
  if (username == nullptr || password == nullptr || username->text().empty() ||
      password->text().empty()) {
    reply_error(session, iq, ErrorCondition::not_acceptable, "username and password required");
    return;
  }
  // The username becomes the localpart: Nodeprep and the RFC 7622 length limits apply.
  auto account = model::Address::from_parts(username->text(), session.domain());
  if (!account) {
    reply_error(session, iq, ErrorCondition::not_acceptable,
                "invalid username: " + account.error());
    return;
  }
  // An existing username is answered before any key derivation (§3.1: conflict): PBKDF2 costs
  // milliseconds of CPU, which a client repeating a taken name should not get for free. The
  // derivation then runs on the CPU work threads, neither on the io thread nor inside a store
  // job (the store thread is shared by every session and its transactions must stay short).
  // create() still answers conflict if the name was taken in between.
  const model::Address bare = std::move(account).value();
  api::run_on_store<bool>(
      session.store(), [bare](api::Stores& stores) { return stores.accounts.exists(bare); },
      [post = session.poster(), iq, bare, password = password->text()](std::optional<bool> exists) {
        post([iq, bare, password, exists](SessionContext& s) {
          if (!exists) {
            reply_error(s, iq, ErrorCondition::internal_server_error);
            return;
          }
          if (*exists) {
            reply_error(s, iq, ErrorCondition::conflict);
            return;
          }
          PARLEY_LOG_INFO("xmpp", s.session_id(), "register_account", {{"jid", bare.to_string()}});
          derive_and_store(
              s, iq, password, bare,
              [](api::Stores& stores, const model::Address& name,
                 const api::Credentials& credentials) {
                return stores.accounts.create(name, credentials);
              },
              ErrorCondition::conflict);
        });
      });
}

// ---- after authentication ----

void registered_get(SessionContext& session, const wire::XmlElement& iq) {
  // §3.1 (Example 3): the entity is already registered.
  wire::XmlElement query("query", std::string(ns::kRegister));
  query.add_child("registered");
  query.add_child("username").set_text(session.user().local());
  send_query_result(session, iq, std::move(query));
}

void remove_account(SessionContext& session, const wire::XmlElement& iq,
                    const wire::XmlElement& query) {
  // §3.2: <remove/> must be the only child.
  if (query.element_children().size() != 1) {
    reply_error(session, iq, ErrorCondition::bad_request);
    return;
  }
  const model::Address user = session.user();
  PARLEY_LOG_INFO("xmpp", session.session_id(), "remove_account", {{"jid", user.to_string()}});
  // AccountStore::remove deletes all of the account's data. §3.2 then wants the account's
  // streams closed: SessionContext has no close operation, so the session ends when the core
  // learns of the removal (CloseRequest{account_removed}) or when the client disconnects.
  store_and_answer(
      session, iq, [user](api::Stores& stores) { return stores.accounts.remove(user); },
      ErrorCondition::item_not_found);
}

void change_password(SessionContext& session, const wire::XmlElement& iq,
                     const wire::XmlElement& query) {
  // §3.3 error cases: not-allowed when the service does not allow it, not-authorized when the
  // channel is not safe enough, bad-request when incomplete or for another username.
  if (!session.config().password_change_enabled) {
    reply_error(session, iq, ErrorCondition::not_allowed);
    return;
  }
  if (session.config().require_starttls && !session.is_tls()) {
    reply_error(session, iq, ErrorCondition::not_authorized);
    return;
  }
  const wire::XmlElement* username = query.child("username");
  const wire::XmlElement* password = query.child("password");
  if (username == nullptr || password == nullptr) {
    reply_error(session, iq, ErrorCondition::bad_request, "username and password required");
    return;
  }
  auto named = model::Address::from_parts(username->text(), session.domain());
  if (!named || *named != session.user().bare()) {
    reply_error(session, iq, ErrorCondition::bad_request, "not the authenticated account");
    return;
  }
  if (password->text().empty()) {
    reply_error(session, iq, ErrorCondition::not_acceptable, "empty password");
    return;
  }
  const model::Address user = session.user().bare();
  PARLEY_LOG_INFO("xmpp", session.session_id(), "change_password", {{"jid", user.to_string()}});
  derive_and_store(
      session, iq, password->text(), user,
      [](api::Stores& stores, const model::Address& account, const api::Credentials& credentials) {
        return stores.accounts.set_credentials(account, credentials);
      },
      ErrorCondition::item_not_found);
}

}  // namespace

IqHandler make_register_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const wire::XmlElement* query = iq_payload(iq);
    const auto type = iq_type(iq);
    if (query == nullptr || query->name() != "query" || !type) {
      reply_error(session, iq, ErrorCondition::bad_request);
      return;
    }
    if (session.user().empty()) {
      // §3.1: a host that does not offer registration answers service-unavailable; it is only
      // offered over TLS when the administrator requires encryption (§10: passwords in clear).
      if (!session.config().registration_enabled) {
        reply_error(session, iq, ErrorCondition::service_unavailable);
        return;
      }
      if (session.config().require_starttls && !session.is_tls()) {
        reply_error(session, iq, ErrorCondition::policy_violation, "TLS required");
        return;
      }
      if (*type == IqType::get) {
        register_get(session, iq);
      } else {
        register_set(session, iq, *query);
      }
      return;
    }
    // Authenticated: the request concerns the user's own registration with the server.
    const IqTarget target = classify_target(session, iq);
    if (!is_server(target) && target.kind != TargetKind::self) {
      reply_target_error(session, iq, target, ErrorCondition::forbidden);
      return;
    }
    if (*type == IqType::get) {
      registered_get(session, iq);
    } else if (query->child("remove") != nullptr) {
      remove_account(session, iq, *query);
    } else {
      change_password(session, iq, *query);
    }
  };
}

}  // namespace parley::xmpp::features
