#pragma once
// SIP status codes (RFC 3261 §21) <-> the model's canonical errors (RFC 6120 §8.3.3), for
// answering a MESSAGE the core refused and for reporting a failed SIP delivery to an XMPP
// sender. Examples: item-not-found <-> 404, service-unavailable <-> 503, recipient-unavailable
// <-> 480, not-authorized <-> 401/407 -> not-authorized, forbidden <-> 403,
// resource-constraint <-> 413 (too large) / 486, remote-server-timeout <-> 408.
#include "mapping/model/stanza_error.hpp"

namespace parley::mapping::sip {

int sip_status_for(model::ErrorCondition condition);
// Any status >= 300; unknown codes map by class (4xx bad-request... 5xx internal, 6xx
// service-unavailable per RFC 3261 §21.6 "global failure").
model::StanzaError stanza_error_for_status(int status);

}  // namespace parley::mapping::sip
