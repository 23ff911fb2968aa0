#include "gateway/app/admin_http.hpp"

#include <openssl/crypto.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "gateway/log/log.hpp"

namespace parley::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Connection;

// The path of a request target without its query (RFC 9112 §3.2.1 origin-form).
std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view to_std(beast::string_view s) {
  return {s.data(), s.size()};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class AuthOutcome { ok, missing, invalid };

// RFC 6750 §2.1: "Authorization: Bearer <token>"; the scheme is case-insensitive
// (RFC 9110 §11.1). The token is compared in constant time.
AuthOutcome check_bearer(std::string_view header, const std::string& token) {
  header = trim(header);
  if (header.empty()) return AuthOutcome::missing;
  constexpr std::string_view kScheme = "Bearer";
  if (header.size() <= kScheme.size() || !iequals(header.substr(0, kScheme.size()), kScheme) ||
      header[kScheme.size()] != ' ') {
    return AuthOutcome::invalid;
  }
  const std::string_view given = trim(header.substr(kScheme.size() + 1));
  if (token.empty() || given.size() != token.size()) return AuthOutcome::invalid;
  return CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0 ? AuthOutcome::ok
                                                                      : AuthOutcome::invalid;
}

}  // namespace

struct AdminHttpServer::Shared : std::enable_shared_from_this<AdminHttpServer::Shared> {
  Shared(asio::io_context& context, config::AdminHttpConfig cfg, AdminRoutes r, AdminHttpLimits l)
      : io(context),
        config(std::move(cfg)),
        routes(std::move(r)),
        limits(l),
        strand(asio::make_strand(context)),
        acceptor(strand) {}

  asio::io_context& io;
  const config::AdminHttpConfig config;
  const AdminRoutes routes;
  const AdminHttpLimits limits;
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;  // on `strand`
  std::atomic<std::uint16_t> port{0};
  std::atomic<std::size_t> active{0};

  std::mutex mutex;
  std::vector<std::weak_ptr<Connection>> connections;  // guarded by mutex; pruned on accept
  bool stopped = false;                                // guarded by mutex

  void accept();
  void on_accept(const boost::system::error_code& ec, tcp::socket socket);
};

namespace {

// One client connection: read a request (bounded, timed), answer it, and read the next one
// while the client keeps the connection alive. Everything runs on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::shared_ptr<AdminHttpServer::Shared> shared)
      : stream_(std::move(socket)),
        shared_(std::move(shared)),
        route_timer_(stream_.get_executor()) {
    ++shared_->active;
  }
  ~Connection() { --shared_->active; }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  void close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->closing_ = true;
      self->route_timer_.cancel();
      boost::system::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.close();
    });
  }

 private:
  void read() {
    if (closing_) return;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.max_header_bytes));
    parser_->body_limit(shared_->limits.max_body_bytes);
    stream_.expires_after(shared_->limits.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(const boost::system::error_code& ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::connection_reset) {
      return shut_down();  // the client left, went quiet, or we are stopping: no answer
    }
    if (ec == http::error::header_limit || ec == http::error::body_limit) {
      return respond_error(http::status::payload_too_large, "request too large", false);
    }
    if (ec) return respond_error(http::status::bad_request, "malformed request", false);
    handle(parser_->release());
  }

  void handle(const http::request<http::string_body>& request) {
    version_ = request.version();
    keep_alive_ = request.keep_alive();
    const auto auth =
        check_bearer(to_std(request[http::field::authorization]), shared_->config.token);
    if (auth != AuthOutcome::ok) {
      PARLEY_LOG_WARN("admin", "", "admin_http_unauthorized",
                      {{"target", std::string(path_of(to_std(request.target())))},
                       {"reason", auth == AuthOutcome::missing ? "missing" : "invalid"}});
      return respond(http::status::unauthorized, {{"error", "unauthorized"}},
                     auth == AuthOutcome::missing
                         ? R"(Bearer realm="parley")"
                         : R"(Bearer realm="parley", error="invalid_token")");
    }
    const std::string_view path = path_of(to_std(request.target()));
    const AdminRoute* route = nullptr;
    if (path == "/api/v1/health") {
      route = &shared_->routes.health;
    } else if (path == "/api/v1/compliance/status") {
      route = &shared_->routes.compliance_status;
    } else {
      return respond(http::status::not_found, {{"error", "no such resource"}});
    }
    if (request.method() != http::verb::get) {
      allow_ = "GET";  // RFC 9110 §15.5.6: a 405 lists the allowed methods
      return respond(http::status::method_not_allowed, {{"error", "method not allowed"}});
    }
    if (!*route) return respond(http::status::not_found, {{"error", "no such resource"}});
    run_route(*route);
  }

  // The route answers through a callback that may come from any thread, or never: a timer
  // answers 503 then, and whichever comes second is ignored (`serial_` tells them apart).
  void run_route(const AdminRoute& route) {
    const std::uint64_t serial = ++serial_;
    route_timer_.expires_after(shared_->limits.route_timeout);
    route_timer_.async_wait(
        [self = shared_from_this(), serial](const boost::system::error_code& ec) {
          if (ec || self->answered_ == serial) return;
          self->answered_ = serial;
          self->respond(http::status::service_unavailable, {{"error", "timed out"}});
        });
    auto executor = stream_.get_executor();
    route([self = shared_from_this(), serial, executor](AdminReply reply) {
      asio::post(executor, [self, serial, reply = std::move(reply)]() mutable {
        if (self->answered_ == serial || self->closing_) return;
        self->answered_ = serial;
        self->route_timer_.cancel();
        self->respond(static_cast<http::status>(reply.status), std::move(reply.body));
      });
    });
  }

  void respond_error(http::status status, std::string_view message, bool keep_alive) {
    version_ = 11;
    keep_alive_ = keep_alive;
    respond(status, {{"error", std::string(message)}});
  }

  void respond(http::status status, nlohmann::json body, std::string_view authenticate = {}) {
    response_ = {};
    response_.version(version_);
    response_.result(status);
    response_.set(http::field::server, "parleyd");
    response_.set(http::field::content_type, "application/json");
    response_.set(http::field::cache_control, "no-store");
    if (!authenticate.empty())
      response_.set(http::field::www_authenticate, std::string(authenticate));
    if (!allow_.empty()) response_.set(http::field::allow, allow_);
    allow_.clear();
    response_.keep_alive(keep_alive_);
    response_.body() = body.dump() + "\n";
    response_.prepare_payload();
    stream_.expires_after(shared_->limits.write_timeout);
    http::async_write(
        stream_, response_,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
          if (ec || !self->keep_alive_) return self->shut_down();
          self->read();
        });
  }

  void shut_down() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<AdminHttpServer::Shared> shared_;
  asio::steady_timer route_timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool closing_ = false;
  std::string allow_;
  std::uint64_t serial_ = 0;
  std::uint64_t answered_ = 0;
};

}  // namespace

void AdminHttpServer::Shared::accept() {
  // Each connection gets a strand of its own.
  acceptor.async_accept(
      asio::make_strand(io),
      [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void AdminHttpServer::Shared::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
  if (!ec) {
    if (active.load() >= limits.max_connections) {
      PARLEY_LOG_WARN("admin", "", "admin_http_connection_refused",
                      {{"active", std::to_string(active.load())}});
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      auto connection = std::make_shared<Connection>(std::move(socket), shared_from_this());
      {
        std::lock_guard lock(mutex);
        if (stopped) return;
        std::erase_if(connections, [](const auto& weak) { return weak.expired(); });
        connections.push_back(connection);
      }
      connection->start();
    }
  }
  accept();
}

AdminHttpServer::AdminHttpServer(asio::io_context& io, config::AdminHttpConfig config,
                                 AdminRoutes routes, AdminHttpLimits limits)
    : shared_(std::make_shared<Shared>(io, std::move(config), std::move(routes), limits)) {}

AdminHttpServer::~AdminHttpServer() {
  stop();
}

void AdminHttpServer::start() {
  Shared& s = *shared_;
  const tcp::endpoint endpoint(asio::ip::make_address(s.config.address), s.config.port);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(asio::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);  // throws boost::system::system_error (a std::system_error)
  s.acceptor.listen(asio::socket_base::max_listen_connections);
  s.port = s.acceptor.local_endpoint().port();
  PARLEY_LOG_INFO("admin", "", "admin_http_listening",
                  {{"address", s.config.address}, {"port", std::to_string(s.port.load())}});
  asio::dispatch(s.strand, [shared = shared_] { shared->accept(); });
}

void AdminHttpServer::stop() {
  std::vector<std::weak_ptr<Connection>> connections;
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->stopped) return;
    shared_->stopped = true;
    connections.swap(shared_->connections);
  }
  asio::post(shared_->strand, [shared = shared_] {
    boost::system::error_code ignored;
    shared->acceptor.close(ignored);
  });
  for (const auto& weak : connections) {
    if (auto connection = weak.lock()) connection->close();
  }
}

std::uint16_t AdminHttpServer::port() const {
  return shared_->port.load();
}

}  // namespace parley::app
