#pragma once
// Small helpers shared by the IQ feature handlers: request type, payload, the result reply and
// who the request is addressed to.
#include <optional>
#include <string>

#include "adapters/xmpp/features/session_context.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::xmpp::features {

enum class IqType { get, set };
// nullopt for result/error/unknown types (the session only dispatches get and set).
std::optional<IqType> iq_type(const wire::XmlElement& iq);

// The first element child of the IQ (RFC 6120 §8.2.3: exactly one payload for get/set).
const wire::XmlElement* iq_payload(const wire::XmlElement& iq);

// An empty <iq type='result'/> for `iq`: same id, 'from' = the request's 'to' (the entity that
// answers), 'to' = the request's 'from' or, when the session did not stamp it, the bound full
// address (RFC 6120 §8.2.3, §8.1.2.1).
wire::XmlElement make_result(const SessionContext& session, const wire::XmlElement& iq);

// Who the request is addressed to, from the point of view of the session's account.
enum class TargetKind {
  unaddressed,    // no 'to': RFC 6120 §10.3.3, handled by the server for the account
  server,         // a served domain
  self,           // the user's own bare address
  other_account,  // another bare address in a served domain (may not exist)
  foreign,        // a full address or a domain we do not serve: not ours to answer
  invalid,        // 'to' is not a valid address
};
struct IqTarget {
  TargetKind kind = TargetKind::unaddressed;
  model::Address address;  // the parsed 'to' (empty for unaddressed / invalid)
};
IqTarget classify_target(const SessionContext& session, const wire::XmlElement& iq);

// The account itself: no 'to', or the user's own bare address (RFC 6121 §2.1.3, §2.1.5).
inline bool is_own_account(const IqTarget& target) {
  return target.kind == TargetKind::unaddressed || target.kind == TargetKind::self;
}
// The server: no 'to' or a served domain.
inline bool is_server(const IqTarget& target) {
  return target.kind == TargetKind::unaddressed || target.kind == TargetKind::server;
}

void reply_error(SessionContext& session, const wire::XmlElement& iq,
                 model::ErrorCondition condition, std::string text = {});
// The error for a target a feature does not serve: jid-malformed for an invalid 'to',
// service-unavailable for anything else (RFC 6120 §8.3.3.19: no such service there), or
// `otherwise` when given (e.g. forbidden for someone else's roster).
void reply_target_error(
    SessionContext& session, const wire::XmlElement& iq, const IqTarget& target,
    model::ErrorCondition otherwise = model::ErrorCondition::service_unavailable);

}  // namespace parley::xmpp::features
