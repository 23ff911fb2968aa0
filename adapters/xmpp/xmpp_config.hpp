#pragma once
// Settings of the XMPP client adapter (filled by config/ from the "xmpp" section).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace parley::xmpp {

struct ListenerConfig {
  bool enabled = true;
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: pick a free port (tests); the bound port is logged and reported
};

struct XmppConfig {
  std::vector<std::string> domains{"localhost"};  // served domains (first is the default)
  // XEP-0045 multi-user chat service; empty: "conference." + the first domain.
  std::string muc_domain;
  // Rooms created by joining a room that does not exist (XEP-0045 §10.1.2 instant rooms) go
  // into this category; the daemon creates it at start when missing.
  std::string muc_default_category = "general";
  ListenerConfig c2s{true, "127.0.0.1", 5222};         // STARTTLS
  ListenerConfig direct_tls{true, "127.0.0.1", 5223};  // XEP-0368
  bool require_starttls = true;         // refuse to authenticate before TLS on the c2s port
  bool allow_plain = true;              // SASL PLAIN, only ever offered over TLS
  bool registration_enabled = false;    // XEP-0077 in-band registration of new accounts
  bool password_change_enabled = true;  // XEP-0077 §3.3 for logged-in users
  bool user_archive_enabled = true;     // XEP-0313 on accounts (the core's archive.enabled)
  std::size_t max_stanza_bytes = 256 * 1024;
  std::size_t read_rate_bytes_per_second = 256 * 1024;  // per connection; 0: unlimited
  std::size_t read_burst_bytes = 1024 * 1024;
  std::size_t max_sessions_per_account = 10;
  std::size_t outbox_high_watermark = 4096;    // queued stanzas before the peer counts as too slow
  std::chrono::seconds handshake_timeout{30};  // until the session is bound
  std::chrono::seconds idle_timeout{600};      // no bytes at all from the client
  std::chrono::seconds keepalive_interval{120};  // whitespace keepalive we send when idle
  // After this long without bytes from the client its XML parser is freed and rebuilt by the
  // next read (a few microseconds): most of an idle connection's memory. 0: never.
  std::chrono::seconds parser_rest_after{2};
  // Authentication failure throttling (per remote IP and per account).
  std::size_t auth_failures_per_ip = 10;
  std::size_t auth_failures_per_account = 5;
  std::chrono::seconds auth_failure_window{60};
  // RFC 6120 §6.4.5: retries allowed on one stream before it is closed (<policy-violation/>).
  std::size_t auth_failures_per_stream = 3;
  // RFC 6120 §4.4: how long we wait for the peer's </stream:stream> after sending ours.
  std::chrono::seconds close_timeout{5};
  // XEP-0198
  std::chrono::seconds resume_timeout{300};
  std::size_t max_unacked_stanzas = 10000;
};

// The MUC domain in effect: the configured one, or "conference." + the first served domain.
inline std::string effective_muc_domain(const XmppConfig& config) {
  if (!config.muc_domain.empty()) return config.muc_domain;
  return "conference." +
         (config.domains.empty() ? std::string("localhost") : config.domains.front());
}

}  // namespace parley::xmpp
