#pragma once
// Settings of the SIP services (registrar, digest authentication, MESSAGE, presence), filled by
// config/sip_section.cpp from the "sip" section; the stack's own settings are in sip_config.hpp.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "adapters/sip/wire/digest.hpp"
#include "mapping/sip/address.hpp"
#include "mapping/sip/presence_mapping.hpp"

namespace parley::sip {

// Who may see a SIP user's presence, and whose presence a SIP user may see (docs/sip.md).
enum class PresencePolicy {
  // RFC 6121: a watcher needs an approved roster subscription. A SUBSCRIBE from a SIP user is
  // a subscription request; until approved the subscription is pending. Approval works from
  // either side: the XMPP user approves, or the SIP user subscribes back.
  roster,
  // Lync's default: colleagues (same domain, or same department with `organisation_scope`
  // department) see each other at once; everyone else falls back to the roster rule.
  organisation,
};
enum class OrganisationScope { domain, department };

struct RegistrarLimits {
  std::chrono::seconds min_expires{60};    // shorter: 423 Interval Too Brief (RFC 3261 §10.3)
  std::chrono::seconds max_expires{3600};  // longer requests are shortened to this
  std::chrono::seconds default_expires{3600};
  std::size_t max_bindings_per_account = 10;
};

struct DigestSettings {
  // Offered in this order, most preferred first (RFC 8760 §2.4: one challenge per algorithm).
  std::vector<DigestAlgorithm> algorithms{DigestAlgorithm::sha256, DigestAlgorithm::md5};
  std::chrono::seconds nonce_lifetime{300};  // older nonces get stale=true (RFC 7616 §3.3)
  // Authentication failures per source IP / per account within `failure_window` before requests
  // are refused (403) without checking credentials, like the XMPP adapter's SASL throttle.
  std::size_t failures_per_ip = 10;
  std::size_t failures_per_account = 5;
  std::chrono::seconds failure_window{60};
  // How long a credential read from the store serves later requests (credential_cache.hpp);
  // 0: every request reads the store.
  std::chrono::seconds credential_cache{30};
  std::size_t max_tracked = 65536;  // bound on each throttle / nonce-count / cache table
};

struct EventLimits {  // SUBSCRIBE (RFC 6665 §4.2.1.1) and PUBLISH (RFC 3903 §6)
  std::chrono::seconds min_expires{60};
  std::chrono::seconds max_expires{3600};
  std::chrono::seconds default_expires{3600};
};

struct SipServicesConfig {
  mapping::sip::SipDomains domains;  // local domains (realm = the account's domain) + aliases
  RegistrarLimits registrar;
  DigestSettings digest;
  std::size_t max_message_body_bytes = 32 * 1024;  // MESSAGE bodies beyond: 413 (RFC 3428 §8)
  PresencePolicy policy = PresencePolicy::roster;
  OrganisationScope organisation_scope = OrganisationScope::domain;
  EventLimits subscribe;
  EventLimits publish;
  std::size_t max_subscriptions_per_account = 500;
  mapping::sip::AvailabilityTable availability = mapping::sip::default_availability_table();
  // Requests waiting for the services' strand; beyond: 503 with Retry-After (RFC 3261 §21.5.4).
  std::size_t max_pending_requests = 2000;
  std::chrono::seconds retry_after{5};
  std::size_t outbox_high_watermark = 1000;  // deliveries queued per account endpoint
  std::string agent_name = "parley";         // Server / User-Agent header
};

}  // namespace parley::sip
