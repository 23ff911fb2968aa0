#pragma once
// The registrar (RFC 3261 §10.3): REGISTER with digest authentication, bindings with expiry
// (423 below the minimum, shortened above the maximum), several devices per account keyed by
// +sip.instance (RFC 5626 §4.1) or Contact URI, "Contact: *" with Expires: 0 removing all,
// Call-ID/CSeq ordering, and a 200 listing the current bindings. Bindings remember the flow the
// REGISTER came over: requests to the device go back over it (RFC 3581 / RFC 5626), so devices
// behind NAT are reachable.
#include <memory>

#include "adapters/sip/services/services_context.hpp"

namespace parley::sip {

class Registrar {
 public:
  explicit Registrar(ServicesContext& ctx) : ctx_(ctx) {}

  void on_register(std::shared_ptr<ServerTransaction> transaction);
  // Drops expired bindings (called by the services' periodic sweep).
  void sweep(TimePoint now);
  // A TCP/TLS connection closed: its bindings are dead (RFC 5626 §5.3 flow failure).
  void on_flow_closed(const Flow& flow);

 private:
  void apply(const std::shared_ptr<ServerTransaction>& transaction, const model::Address& account);
  void answer_bindings(ServerTransaction& transaction, const SipAccount& account);

  ServicesContext& ctx_;
};

}  // namespace parley::sip
