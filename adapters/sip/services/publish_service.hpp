#pragma once
// PUBLISH for the presence event package (RFC 3903, RFC 3856): the SIP user's own presence.
// An initial PUBLISH (PIDF body, no SIP-If-Match) creates a publication with a fresh SIP-ETag;
// a refresh (SIP-If-Match, no body) extends it; a modify (SIP-If-Match + body) replaces it;
// Expires: 0 removes it. Unknown entity tags get 412, other event packages 489, other bodies
// 415, too-short expiry 423. The published state is what the core broadcasts for the account
// (through ServicesContext::refresh), so XMPP watchers see it.
#include <memory>

#include "adapters/sip/services/services_context.hpp"

namespace parley::sip {

class PublishService {
 public:
  explicit PublishService(ServicesContext& ctx) : ctx_(ctx) {}

  void on_publish(std::shared_ptr<ServerTransaction> transaction);
  void sweep(TimePoint now);

 private:
  void apply(const std::shared_ptr<ServerTransaction>& transaction, const model::Address& account);

  ServicesContext& ctx_;
};

}  // namespace parley::sip
