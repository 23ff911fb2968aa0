#pragma once
// What the SIP services share: configuration, collaborators, the strand everything runs on,
// and the account table. Owned by SipServicesImpl; every member is touched only on `strand`.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "adapters/sip/services/auth_throttle.hpp"
#include "adapters/sip/services/credential_cache.hpp"
#include "adapters/sip/services/credential_lookup.hpp"
#include "adapters/sip/services/nonce_manager.hpp"
#include "adapters/sip/services/services_config.hpp"
#include "adapters/sip/services/sip_account.hpp"
#include "adapters/sip/sip_stack.hpp"
#include "gateway/api/core.hpp"
#include "gateway/api/message_archive.hpp"

namespace parley::sip {

using Strand = boost::asio::strand<boost::asio::any_io_executor>;
using Clock = std::function<TimePoint()>;

struct ServicesContext {
  ServicesContext(SipServicesConfig cfg, api::Core& core_, CredentialLookup& credentials_,
                  boost::asio::any_io_executor executor, Clock clock_, std::string secret);

  SipServicesConfig config;
  api::Core& core;
  CredentialLookup& credentials;
  SipStack* stack = nullptr;                     // set before the stack starts
  const api::MessageArchive* archive = nullptr;  // optional: MESSAGE waits for its backlog
  Strand strand;
  Clock clock;
  AuthThrottle throttle;
  NonceManager nonces;
  CredentialCache credential_cache;
  std::map<model::Address, std::shared_ptr<SipAccount>> accounts;
  std::weak_ptr<SipServicesImpl> owner;

  TimePoint now() const { return clock(); }
  SipAccount& account(const model::Address& bare);  // created on first use
  SipAccount* find_account(const model::Address& bare);

  // Binds/unbinds the account's endpoint and sends the presence its state implies (bindings
  // or a publication: available or the published state; none: unavailable/unbound). Removes
  // idle accounts.
  void refresh(SipAccount& account);

  // Fires `done` with posts back on the strand.
  template <class F>
  auto on_strand(F&& f) {
    return [strand = strand, f = std::forward<F>(f)](auto&&... args) mutable {
      boost::asio::post(strand, [f = std::move(f), ... args = std::forward<decltype(args)>(
                                                       args)]() mutable { f(std::move(args)...); });
    };
  }
};

// Every response we send carries Server (RFC 3261 §20.35).
SipMessage response_for(const ServicesContext& ctx, const SipMessage& request, int status,
                        std::string_view reason = {}, std::string_view to_tag = {});

}  // namespace parley::sip
