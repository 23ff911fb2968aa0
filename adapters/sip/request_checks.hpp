#pragma once
// The stack's own checks and Via handling, as pure functions over wire types (RFC 3261 §8.2,
// §18.2, RFC 3581), so they are unit-tested without sockets.
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {

struct Rejection {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Unsupported
};

// RFC 3261 §16.3 step 2 / §8.2.2.3: Max-Forwards 0 -> 483; a malformed one -> 400; Require with
// option tags outside `supported` -> 420 listing them in Unsupported. CANCEL and ACK are never
// rejected for Require (§8.2.2.3).
std::optional<Rejection> check_request(const SipMessage& request,
                                       const std::vector<std::string>& supported);

// RFC 3261 §18.2.1 and RFC 3581 §4: on the top Via of a received request, add received=<source>
// when the sent-by host is not the source address, and fill a valueless rport with the source
// port (also adding received then, as RFC 3581 requires).
void stamp_top_via(SipMessage& request, const boost::asio::ip::address& source,
                   std::uint16_t source_port);

// RFC 3261 §18.2.2 / RFC 3581 §4: the port an unreliable response goes to — rport's value when
// present, else the sent-by port, else 5060. (The address is always the received one.)
std::uint16_t response_port(const SipMessage& request, std::uint16_t source_port);

// A z9hG4bK branch (RFC 3261 §8.1.1.7) from a random token.
std::string make_branch(std::string_view token);

// The server transaction key (RFC 3261 §17.2.3): branch, sent-by and method, with ACK matched
// to its INVITE; the RFC 2543 fallback for branches without the magic cookie.
std::string server_transaction_key(const SipMessage& request, std::string_view method);

}  // namespace parley::sip
