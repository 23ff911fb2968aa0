#pragma once
// The "admin" section of parley.jsonc: the administration HTTP API (gateway/app/admin_http.hpp,
// docs/compliance.md). Plain HTTP with a bearer token, so it listens on a loopback address only:
//   "admin": {"http": {"enabled": false, "address": "127.0.0.1", "port": 8091, "token": ""}}
#include <cstddef>
#include <cstdint>
#include <string>

namespace parley::config {
namespace detail {
class Section;
}

struct AdminHttpConfig {
  bool enabled = false;
  std::string address = "127.0.0.1";  // a loopback IPv4 or IPv6 literal
  std::uint16_t port = 8091;          // 0: a free port chosen by the kernel (the ready file says)
  // Every request needs "Authorization: Bearer <token>" (RFC 6750 §2.1). Required when enabled;
  // at least kMinTokenBytes, so it cannot be guessed in a few tries.
  std::string token;
  static constexpr std::size_t kMinTokenBytes = 16;
};

struct AdminConfig {
  AdminHttpConfig http;
};

// Reads root["admin"] into `out`, reporting each problem under "admin.http.<key>".
void read_admin_section(detail::Section& root, AdminConfig& out);

// true for 127.0.0.0/8 and ::1.
bool is_loopback_literal(const std::string& address);

}  // namespace parley::config
