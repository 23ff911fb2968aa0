#pragma once
// Instant messages (RFC 3428). From SIP: MESSAGE is checked (413 too large, 415 with Accept for
// other content types, 404 for a target that is not a local account), authenticated (407, or
// credentials from any of our nonces, e.g. the registration's), then routed through the core
// like any message, answered 202 Accepted (RFC 3428 §7: it may be stored for later delivery).
// To SIP: a message delivered to the account's endpoint is sent as MESSAGE to every registered
// device over the flow it registered from.
#include <memory>

#include "adapters/sip/services/services_context.hpp"
#include "mapping/model/message.hpp"

namespace parley::sip {

class MessageService {
 public:
  explicit MessageService(ServicesContext& ctx) : ctx_(ctx) {}

  void on_message(std::shared_ptr<ServerTransaction> transaction);
  void deliver(SipAccount& account, const model::Message& message);

 private:
  void send_to_binding(SipAccount& account, const Binding& binding, const model::Message& message);

  ServicesContext& ctx_;
};

// A Date header value (RFC 3261 §20.17, RFC 1123 format in GMT).
std::string http_date(std::chrono::system_clock::time_point time);

}  // namespace parley::sip
