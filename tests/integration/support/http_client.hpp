#pragma once
// A minimal HTTP/1.1 client on loopback for the tests that read parleyd's admin API (and the
// socket helpers the compliance receiver shares). Blocking, bounded by socket timeouts.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace parley::it {

struct HttpResponse {
  int status = 0;
  std::string headers;  // the raw header block
  std::string body;
};

inline void set_timeouts(int fd, std::chrono::seconds bound) {
  timeval tv{static_cast<time_t>(bound.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

inline bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one message: headers, then Content-Length bytes of body (or up to EOF without one).
inline std::optional<std::pair<std::string, std::string>> read_message(int fd) {
  std::string data;
  char buf[4096];
  std::size_t header_end = std::string::npos;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() > 1 << 20) return std::nullopt;
  }
  std::string headers = data.substr(0, header_end);
  std::string body = data.substr(header_end + 4);
  std::string lower = headers;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  const auto cl = lower.find("content-length:");
  if (cl == std::string::npos) {
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) {
      body.append(buf, static_cast<std::size_t>(n));
    }
    return std::make_pair(headers, body);
  }
  const std::size_t length = std::stoul(lower.substr(cl + 15));
  while (body.size() < length) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    body.append(buf, static_cast<std::size_t>(n));
  }
  body.resize(length);
  return std::make_pair(headers, body);
}

inline HttpResponse http_get(std::uint16_t port, const std::string& path,
                             const std::string& token) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket");
  set_timeouts(fd, std::chrono::seconds(10));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to the admin API on port " + std::to_string(port));
  }
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  request += "\r\n";
  HttpResponse response;
  if (send_all(fd, request)) {
    if (auto message = read_message(fd)) {
      response.headers = message->first;
      response.body = message->second;
      // "HTTP/1.1 200 OK"
      const auto space = response.headers.find(' ');
      if (space != std::string::npos)
        response.status = std::stoi(response.headers.substr(space + 1));
    }
  }
  ::close(fd);
  return response;
}

}  // namespace parley::it
