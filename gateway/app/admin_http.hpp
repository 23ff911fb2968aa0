#pragma once
// AdminHttpServer: the administration HTTP API (issue 6: the compliance queue's state "visible
// through logs, parleyctl and the admin API"). A small HTTP/1.1 server (Boost.Beast) on a
// loopback address; every request needs "Authorization: Bearer <token>" (RFC 6750 §2.1).
//
//   GET /api/v1/health               {"status": "ok", ...}
//   GET /api/v1/compliance/status    {"enabled", "depth", "oldest_age_s", "exporters": [...]}
//
// Answers: 401 without a valid token (RFC 6750 §3, WWW-Authenticate: Bearer), 404 for an
// unknown path, 405 with Allow for another method, 400 for a malformed request, 413 for a
// request over the size limit; keep-alive per RFC 9112 §9.3. Every read and write has a
// deadline; the number of connections is capped (refused connections are closed at once).
//
// Threading: the acceptor and every connection run on their own strands of the io_context.
// A route completes through a callback that may run on any thread (e.g. the store thread
// after a store job); the connection posts the response back to its strand.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "config/admin_section.hpp"

namespace parley::app {

// A route's answer: the JSON body with 200, or an HTTP status and an error message.
struct AdminReply {
  unsigned status = 200;
  nlohmann::json body;
};
using AdminReplyCallback = std::function<void(AdminReply)>;
// Called on a connection's strand; must not block (run slow work elsewhere and call back).
using AdminRoute = std::function<void(AdminReplyCallback)>;

struct AdminRoutes {
  AdminRoute health;
  AdminRoute compliance_status;
};

struct AdminHttpLimits {
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 4 * 1024;          // GET only: anything larger is refused with 413
  std::chrono::milliseconds read_timeout{10000};  // per request, headers and body
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds route_timeout{10000};  // a route that never calls back: 503
  std::size_t max_connections = 32;
};

class AdminHttpServer {
 public:
  AdminHttpServer(boost::asio::io_context& io, config::AdminHttpConfig config, AdminRoutes routes,
                  AdminHttpLimits limits = {});
  ~AdminHttpServer();
  AdminHttpServer(const AdminHttpServer&) = delete;
  AdminHttpServer& operator=(const AdminHttpServer&) = delete;

  // Binds and starts accepting; throws std::system_error when the address cannot be bound.
  void start();
  // Stops accepting and closes open connections. Idempotent; thread-safe.
  void stop();
  // The bound port (the kernel's choice with port 0); 0 before start().
  std::uint16_t port() const;

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace parley::app
