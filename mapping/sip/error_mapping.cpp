#include "mapping/sip/error_mapping.hpp"

namespace parley::mapping::sip {

using model::ErrorCondition;

int sip_status_for(ErrorCondition condition) {
  // RFC 6120 §8.3.3 conditions onto RFC 3261 §21 codes; the XMPP<->SIP interworking
  // tables of RFC 7248 (presence) and RFC 7572 (IM) take the same direction.
  switch (condition) {
    case ErrorCondition::bad_request:
      return 400;
    case ErrorCondition::conflict:
      return 400;  // RFC 3261 defines no 409
    case ErrorCondition::feature_not_implemented:
      return 501;
    case ErrorCondition::forbidden:
      return 403;
    case ErrorCondition::gone:
      return 410;
    case ErrorCondition::internal_server_error:
      return 500;
    case ErrorCondition::item_not_found:
      return 404;
    case ErrorCondition::jid_malformed:
      return 416;  // Unsupported URI Scheme / bad address
    case ErrorCondition::not_acceptable:
      return 488;
    case ErrorCondition::not_allowed:
      return 405;
    case ErrorCondition::not_authorized:
      return 403;  // a 401 would need a challenge
    case ErrorCondition::policy_violation:
      return 403;
    case ErrorCondition::recipient_unavailable:
      return 480;
    case ErrorCondition::redirect:
      return 302;
    case ErrorCondition::registration_required:
      return 403;
    case ErrorCondition::remote_server_not_found:
      return 404;
    case ErrorCondition::remote_server_timeout:
      return 408;
    case ErrorCondition::resource_constraint:
      return 486;  // Busy Here: the mailbox is full
    case ErrorCondition::service_unavailable:
      return 503;
    case ErrorCondition::subscription_required:
      return 403;
    case ErrorCondition::undefined_condition:
      return 500;
    case ErrorCondition::unexpected_request:
      return 400;
  }
  return 500;
}

model::StanzaError stanza_error_for_status(int status) {
  auto make = [status](ErrorCondition c) {
    return model::StanzaError::make(c, "SIP " + std::to_string(status));
  };
  switch (status) {
    case 400:
      return make(ErrorCondition::bad_request);
    case 401:
    case 407:
      return make(ErrorCondition::not_authorized);
    case 403:
      return make(ErrorCondition::forbidden);
    case 404:
    case 604:
      return make(ErrorCondition::item_not_found);
    case 405:
      return make(ErrorCondition::not_allowed);
    case 408:
      return make(ErrorCondition::remote_server_timeout);
    case 410:
      return make(ErrorCondition::gone);
    case 413:
      return make(ErrorCondition::policy_violation);  // too large for the peer
    case 415:
    case 488:
    case 606:
      return make(ErrorCondition::not_acceptable);
    case 416:
      return make(ErrorCondition::jid_malformed);
    case 430:  // RFC 5626 Flow Failed: the device is gone
    case 480:
      return make(ErrorCondition::recipient_unavailable);
    case 486:
    case 600:
      return make(ErrorCondition::resource_constraint);
    case 501:
      return make(ErrorCondition::feature_not_implemented);
    case 503:
      return make(ErrorCondition::service_unavailable);
    case 504:
      return make(ErrorCondition::remote_server_timeout);
    default:
      break;
  }
  if (status >= 300 && status < 400) return make(ErrorCondition::redirect);
  if (status >= 400 && status < 500) return make(ErrorCondition::bad_request);
  if (status >= 600) return make(ErrorCondition::service_unavailable);
  return make(ErrorCondition::internal_server_error);
}

}  // namespace parley::mapping::sip
