#include "config/admin_section.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "config/json_section.hpp"

namespace parley::config {

bool is_loopback_literal(const std::string& address) {
  in_addr v4{};
  if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;  // RFC 1122 §3.2.1.3: 127.0.0.0/8
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    return std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0;  // RFC 4291 §2.5.3
  }
  return false;
}

void read_admin_section(detail::Section& root, AdminConfig& out) {
  detail::Section admin = root.object("admin", {"http"});
  detail::Section http = admin.object("http", {"enabled", "address", "port", "token"});
  AdminHttpConfig& h = out.http;
  http.boolean("enabled", h.enabled);
  http.string("address", h.address, /*allow_empty=*/false);
  http.integer("port", h.port, 0, 65535);
  http.string("token", h.token);
  // The API has no TLS: keep it (and its bearer token) on this machine.
  if (!is_loopback_literal(h.address)) {
    http.problem("address", "expected a loopback address (127.0.0.1 or ::1), got " +
                                nlohmann::json(h.address).dump());
  }
  if (h.enabled && h.token.size() < AdminHttpConfig::kMinTokenBytes) {
    http.problem("token", "required when admin.http.enabled is true, at least " +
                              std::to_string(AdminHttpConfig::kMinTokenBytes) + " characters");
  }
}

}  // namespace parley::config
