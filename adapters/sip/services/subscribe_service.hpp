#pragma once
// Presence subscriptions of SIP watchers (RFC 3856, RFC 6665 notifier role): SUBSCRIBE creates
// a dialog (200 + an immediate NOTIFY), refreshes, Expires: 0 unsubscribes, expiry ends it with
// reason=timeout. Who may watch whom is the configured policy (services_config.hpp,
// docs/sip.md):
//  - allowed at once (organisation colleagues, an existing roster subscription "to"/"both",
//    which includes department colleagues): active, and the core is asked to send the
//    target's presence to the account's endpoint (api::Core::watch_presence);
//  - otherwise: pending, and the core gets an RFC 6121 subscription request (subscribe) plus
//    the watcher's own approval of the reverse direction (subscribed, RFC 6121 §3.4), so the
//    contact subscribing back is approved. The contact approving (subscribed arriving at the
//    endpoint) makes it active; refusing (unsubscribed) terminates it with reason=rejected.
// Presence arriving at the endpoint from a watched account becomes a NOTIFY within the same
// strand turn.
#include <memory>

#include "adapters/sip/services/notifier.hpp"
#include "adapters/sip/services/services_context.hpp"

namespace parley::sip {

class SubscribeService {
 public:
  explicit SubscribeService(ServicesContext& ctx) : ctx_(ctx) {}

  void on_subscribe(std::shared_ptr<ServerTransaction> transaction);
  // Presence delivered by the core to the account's endpoint.
  void on_presence(SipAccount& account, const model::Presence& presence);
  void sweep(TimePoint now);
  void on_flow_closed(const Flow& flow);
  // Ends every subscription of the account (its endpoint was closed by the core).
  void terminate_all(SipAccount& account, std::string_view reason);

 private:
  void subscribed(const std::shared_ptr<ServerTransaction>& transaction,
                  const model::Address& watcher, const model::Address& target);
  void refresh(const std::shared_ptr<ServerTransaction>& transaction, SipAccount& account,
               const std::string& key);
  void decide(const model::Address& watcher, const std::string& key);
  void activate(SipAccount& account, Watch& watch);
  void notify(SipAccount& account, Watch& watch, bool skip_same);
  void remove(SipAccount& account, const std::string& key, std::string_view reason, bool notify);
  bool organisation_allows(const model::Address& watcher, const model::Address& target) const;

  ServicesContext& ctx_;
};

}  // namespace parley::sip
