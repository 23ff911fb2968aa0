#pragma once
// Settings of the SIP stack: listeners, limits and timers (filled by config/ from the "sip"
// section; the services' own settings — realm, registrar, presence — live beside this).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/sip/sip_stack.hpp"

namespace parley::sip {

struct SipListenerConfig {
  bool enabled = true;
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: pick a free port (tests); the bound port is logged and reported
};

struct SipConfig {
  SipListenerConfig udp{true, "127.0.0.1", 5060};
  SipListenerConfig tcp{true, "127.0.0.1", 5060};
  SipListenerConfig tls{true, "127.0.0.1", 5061};
  // Host put in our Via and Contact headers; empty: the listener's address (or, when that is
  // a wildcard, the local address that routes to the peer).
  std::string advertised_host;

  // RFC 3261 §18.1.1 leaves the size to us: larger datagrams or framed messages get 513 (headers)
  // or 413 (body) and, on a stream, the connection is closed.
  std::size_t max_message_bytes = 64 * 1024;
  std::chrono::seconds idle_timeout{300};  // TCP/TLS: no bytes at all (CRLF pings count)
  std::chrono::seconds tls_handshake_timeout{10};
  std::size_t max_connections = 10000;       // TCP + TLS
  std::size_t outbox_high_watermark = 1024;  // queued messages before a peer is too slow

  SipTimers timers;  // RFC 3261 §17.1.1.1 T1/T2/T4

  // Overload protection: new requests beyond these get 503 with Retry-After (RFC 3261 §21.5.4)
  // instead of being queued. Retransmissions of known transactions are always absorbed.
  std::size_t max_transactions = 10000;        // server + client, in flight
  double requests_per_second_per_source = 50;  // per remote IP; 0: unlimited
  double request_burst_per_source = 100;
  std::size_t max_tracked_sources = 100000;  // bound on the rate limiter's table
  std::chrono::seconds retry_after{5};

  // RFC 3261 §8.2.2.3: option tags we accept in Require; anything else is 420 Bad Extension.
  std::vector<std::string> supported_extensions{"outbound", "path"};
  // Used in Warning headers of the stack's own error answers (RFC 3261 §20.43).
  std::string agent_name = "parley";
};

}  // namespace parley::sip
