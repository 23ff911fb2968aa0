#include "config/config_checks.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <system_error>
#include <utility>

namespace parley::config {
namespace {

namespace fs = std::filesystem;

struct NamedListener {
  std::string_view key;
  const xmpp::ListenerConfig* listener;
};

std::vector<NamedListener> enabled_listeners(const ParleyConfig& config) {
  std::vector<NamedListener> out;
  if (config.xmpp.c2s.enabled) out.push_back({"xmpp.c2s", &config.xmpp.c2s});
  if (config.xmpp.direct_tls.enabled) out.push_back({"xmpp.direct_tls", &config.xmpp.direct_tls});
  return out;
}

bool is_v6(const std::string& address) {
  return address.find(':') != std::string::npos;
}

bool is_wildcard(const std::string& address) {
  return address == "0.0.0.0" || address == "::";
}

std::string endpoint_text(const xmpp::ListenerConfig& l) {
  std::string host = is_v6(l.address) ? "[" + l.address + "]" : l.address;
  return host + ":" + std::to_string(l.port);
}

// Reads at most `limit` bytes; nullopt-like empty error string means success.
std::string read_head(const fs::path& path, std::string& out, std::size_t limit) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return std::strerror(errno);
  out.resize(limit);
  std::size_t n = std::fread(out.data(), 1, limit, f);
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed) return std::strerror(err);
  out.resize(n);
  return {};
}

void check_pem(const fs::path& path, std::string_view key, bool want_key, Problems& problems) {
  std::string text;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    problems.push_back(std::string(key) + ": cannot read " + path.string() + ": is a directory");
    return;
  }
  std::string error = read_head(path, text, 1 << 20);
  if (!error.empty()) {
    problems.push_back(std::string(key) + ": cannot read " + path.string() + ": " + error);
    return;
  }
  // RFC 7468 §2: PEM blocks open with "-----BEGIN <label>-----".
  bool ok = want_key ? (text.find("-----BEGIN ") != std::string::npos &&
                        text.find("PRIVATE KEY-----") != std::string::npos)
                     : text.find("-----BEGIN CERTIFICATE-----") != std::string::npos;
  if (!ok) {
    problems.push_back(std::string(key) + ": " + path.string() +
                       (want_key ? " is not a PEM private key" : " is not a PEM certificate"));
  }
}

void check_data_dir(const fs::path& dir, Problems& problems) {
  std::error_code ec;
  auto status = fs::status(dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      problems.push_back("data_dir: " + dir.string() + " exists and is not a directory");
    } else if (::access(dir.c_str(), W_OK | X_OK) != 0) {
      problems.push_back("data_dir: " + dir.string() + " is not writable: " + std::strerror(errno));
    }
    return;
  }
  // Not there yet: parleyd creates it, so the nearest existing ancestor must be a writable
  // directory.
  fs::path ancestor = dir.parent_path();
  while (!ancestor.empty() && !fs::exists(ancestor, ec) && ancestor != ancestor.root_path()) {
    ancestor = ancestor.parent_path();
  }
  if (ancestor.empty()) ancestor = ".";
  if (!fs::is_directory(ancestor, ec)) {
    problems.push_back("data_dir: cannot create " + dir.string() + ": " + ancestor.string() +
                       " is not a directory");
  } else if (::access(ancestor.c_str(), W_OK | X_OK) != 0) {
    problems.push_back("data_dir: cannot create " + dir.string() + ": " + ancestor.string() +
                       " is not writable");
  }
}

}  // namespace

bool is_ip_literal(const std::string& address) {
  unsigned char buf[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, address.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, address.c_str(), buf) == 1;
}

void check_listeners(const ParleyConfig& config, Problems& problems) {
  auto listeners = enabled_listeners(config);
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto& a = *listeners[j].listener;
      const auto& b = *listeners[i].listener;
      if (a.port == 0 || a.port != b.port) continue;  // port 0: each gets its own free port
      bool overlap = a.address == b.address || (is_v6(a.address) == is_v6(b.address) &&
                                                (is_wildcard(a.address) || is_wildcard(b.address)));
      if (!overlap) continue;
      problems.push_back(std::string(listeners[i].key) + ": " + endpoint_text(b) +
                         " is also used by " + std::string(listeners[j].key));
    }
  }
}

void check_files(const ParleyConfig& config, Problems& problems) {
  if (!config.tls.certificate.empty()) {
    check_pem(config.tls.certificate, "tls.certificate", false, problems);
  }
  if (!config.tls.private_key.empty()) {
    check_pem(config.tls.private_key, "tls.private_key", true, problems);
  }
  check_data_dir(config.data_dir, problems);
}

Problems check_ports(const ParleyConfig& config) {
  Problems problems;
  for (const auto& [key, listener] : enabled_listeners(config)) {
    if (listener->port == 0 || !is_ip_literal(listener->address)) continue;
    bool v6 = is_v6(listener->address);
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (v6) {
      auto* sa = reinterpret_cast<sockaddr_in6*>(&storage);
      sa->sin6_family = AF_INET6;
      sa->sin6_port = htons(listener->port);
      ::inet_pton(AF_INET6, listener->address.c_str(), &sa->sin6_addr);
      length = sizeof(sockaddr_in6);
    } else {
      auto* sa = reinterpret_cast<sockaddr_in*>(&storage);
      sa->sin_family = AF_INET;
      sa->sin_port = htons(listener->port);
      ::inet_pton(AF_INET, listener->address.c_str(), &sa->sin_addr);
      length = sizeof(sockaddr_in);
    }
    int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      problems.push_back(std::string(key) + ": cannot create a socket: " + std::strerror(errno));
      continue;
    }
    // Like the real acceptor (Asio sets SO_REUSEADDR): a port in TIME_WAIT is not "in use",
    // a listening socket is.
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
      int err = errno;
      std::string what = err == EADDRINUSE ? "port already in use"
                                           : std::string("cannot bind: ") + std::strerror(err);
      problems.push_back(std::string(key) + ": " + endpoint_text(*listener) + ": " + what);
    }
    ::close(fd);
  }
  return problems;
}

}  // namespace parley::config
