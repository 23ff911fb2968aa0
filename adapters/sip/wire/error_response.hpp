#pragma once
// Answers for requests that parse_sip rejected. RFC 3261 §21.4.1: a 400 SHOULD say what is
// wrong, so the reason phrase carries the parse error; the answer must still reach the client,
// so the Via, From, To, Call-ID and CSeq lines are echoed as they came (without interpreting
// them: they may be the malformed part). Pure.
#include <optional>
#include <string_view>

#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {

// nullopt when `data` is not recognisably a request (a response, or no "METHOD URI SIP/x.y"
// start line): such input is dropped, never answered (RFC 3261 §18.2.1).
std::optional<SipMessage> make_error_response(std::string_view data, const ParseError& error);

// The same for a request that parsed but is rejected before any service sees it (413, 420,
// 483, 503): a plain make_response with a Warning header (RFC 3261 §20.43, code 399).
SipMessage make_rejection(const SipMessage& request, int status, std::string_view reason,
                          std::string_view warn_host);

}  // namespace parley::sip
