#pragma once
// Small pieces shared by the SIP services: reading an AOR out of a header, expiry values,
// method tables. Pure.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/sip/services/services_config.hpp"
#include "adapters/sip/wire/sip_message.hpp"
#include "mapping/model/address.hpp"

namespace parley::sip {

// The local account a URI names (its bare address), nullopt when the URI is not a user of one
// of our domains or aliases.
std::optional<model::Address> local_account(const SipUri& uri, const SipServicesConfig& config);

// The value of an expires parameter / header in seconds; nullopt when absent or not a number.
std::optional<std::uint32_t> parse_seconds(std::string_view text);

struct ExpiryChoice {
  bool too_brief = false;         // 423 Interval Too Brief with Min-Expires
  std::chrono::seconds value{0};  // 0: remove
};
// RFC 3261 §10.3 step 7 / RFC 6665 §4.2.1.1 / RFC 3903 §6: requested (or default), shortened to
// the maximum, refused below the minimum (0 always means "remove").
ExpiryChoice choose_expiry(std::optional<std::uint32_t> requested, const EventLimits& limits);

// Methods we implement (Allow header, RFC 3261 §20.5) and methods SIP defines that we do not
// allow here (405 rather than 501, RFC 3261 §21.4.6 / §21.5.2).
std::string_view allowed_methods();
bool is_known_method(std::string_view method);

// The Event header's package and id parameter (RFC 6665 §8.2.1); package lower-cased.
struct EventHeader {
  std::string package;
  std::string id;
};
std::optional<EventHeader> parse_event(const SipMessage& request);

// The tag parameter of a From/To header; "" when absent.
std::string tag_of(const NameAddr& address);
// `address` without its tag (and other header parameters).
NameAddr without_params(NameAddr address);

}  // namespace parley::sip
