#pragma once
// SIP URIs (RFC 3261 §19.1) <-> model::Address. A SIP address-of-record sip:alice@example.com
// is the account alice@example.com, the same account XMPP users know as alice@example.com.
//
// Worked examples (local domain "example.com", alias "127.0.0.1"):
//   sip:alice@example.com            -> alice@example.com
//   sips:Alice@EXAMPLE.com:5061      -> alice@example.com   (scheme, port, case are not identity)
//   sip:alice@127.0.0.1:5070         -> alice@example.com   (an alias host names the first domain)
//   sip:alice@other.org              -> alice@other.org     (a remote domain stays as it is)
//   sip:example.com                  -> error: no user part (a SIP AOR always has one here)
//   tel:+15551234                    -> error: unsupported scheme
// and back: alice@example.com/sip-1a2b3c4d -> sip:alice@example.com (the resource names a
// device, which SIP reaches through its Contact binding, never through the AOR).
//
// SipUri::user is the unescaped user part (the wire layer undoes %-escapes, RFC 3261 §19.1.2).
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sip/wire/sip_message.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/expected.hpp"

namespace parley::mapping::sip {

struct SipDomains {
  std::vector<std::string> local_domains;  // Parley's domains (CoreConfig::domains)
  // Hosts that SIP clients put in URIs meaning the FIRST local domain: the server's IP
  // literals, its host name (sipsak and baresip often use sip:user@127.0.0.1).
  std::vector<std::string> aliases;
};

// Bare address of the SIP URI's user at its host (an alias host becomes the first local
// domain). Fails on a scheme other than sip/sips, a missing user, or a user/host that is not a
// valid address part (stringprep, RFC 7622 lengths).
model::Expected<model::Address> address_from_sip_uri(const parley::sip::SipUri& uri,
                                                     const SipDomains& domains);

// True when the URI's host is one of the local domains or aliases (case-insensitive).
bool is_local_host(std::string_view host, const SipDomains& domains);

// sip:local@domain for the bare part of `address` (no port, no parameters).
parley::sip::SipUri sip_uri_from_address(const model::Address& address);

// A stable, valid resource for one SIP device (registered Contact), derived from a device
// key such as the RFC 5626 +sip.instance or the Contact URI: "sip-" + 16 hex digits (FNV-1a 64).
// Same key -> same resource, so a re-REGISTER keeps the device's XMPP full address.
std::string device_resource(std::string_view device_key);

}  // namespace parley::mapping::sip
