// The administration HTTP API server: bearer token (RFC 6750), routing, limits, keep-alive and
// shutdown, against real loopback sockets on kernel-chosen ports.
#include "gateway/app/admin_http.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace parley::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr const char* kToken = "0123456789abcdef-secret";

class AdminHttpTest : public ::testing::Test {
 protected:
  void start(AdminRoutes routes, AdminHttpLimits limits = {}) {
    config::AdminHttpConfig config;
    config.enabled = true;
    config.address = "127.0.0.1";
    config.port = 0;
    config.token = kToken;
    server_ = std::make_unique<AdminHttpServer>(io_, config, std::move(routes), limits);
    server_->start();
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    if (server_) server_->stop();
    work_.reset();
    if (thread_.joinable()) {
      io_.stop();
      thread_.join();
    }
    server_.reset();
  }

  tcp::socket connect() {
    tcp::socket socket(client_io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    // A bound on every blocking read: a hang fails the test instead of stalling it.
    timeval tv{10, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return socket;
  }
  static http::response<http::string_body> exchange(tcp::socket& socket, http::verb method,
                                                    const std::string& target,
                                                    const std::string& authorization,
                                                    bool keep_alive = false) {
    http::request<http::string_body> request(method, target, 11);
    request.set(http::field::host, "localhost");
    if (!authorization.empty()) request.set(http::field::authorization, authorization);
    request.keep_alive(keep_alive);
    request.prepare_payload();
    http::write(socket, request);
    return read_response(socket);
  }
  static http::response<http::string_body> read_response(tcp::socket& socket) {
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    return response;
  }
  http::response<http::string_body> get(const std::string& target,
                                        const std::string& authorization) {
    auto socket = connect();
    return exchange(socket, http::verb::get, target, authorization);
  }
  static std::string bearer() { return std::string("Bearer ") + kToken; }

  static AdminRoutes simple_routes() {
    AdminRoutes routes;
    routes.health = [](AdminReplyCallback done) { done({200, {{"status", "ok"}}}); };
    routes.compliance_status = [](AdminReplyCallback done) {
      // Answers from another thread, like a store job's completion.
      std::thread([done = std::move(done)] {
        done({200, {{"enabled", true}, {"depth", 3}, {"oldest_age_s", 1.5}}});
      }).detach();
    };
    return routes;
  }

  asio::io_context io_;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work_ =
      std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
          io_.get_executor());
  asio::io_context client_io_;
  std::unique_ptr<AdminHttpServer> server_;
  std::thread thread_;
};

TEST_F(AdminHttpTest, RefusesRequestsWithoutTheToken) {
  start(simple_routes());
  auto missing = get("/api/v1/health", "");
  EXPECT_EQ(missing.result(), http::status::unauthorized);
  EXPECT_EQ(std::string(missing[http::field::www_authenticate]), R"(Bearer realm="parley")");
  auto wrong = get("/api/v1/health", "Bearer 0123456789abcdef-secreT");
  EXPECT_EQ(wrong.result(), http::status::unauthorized);
  EXPECT_NE(std::string(wrong[http::field::www_authenticate]).find("invalid_token"),
            std::string::npos);
  auto basic = get("/api/v1/health", "Basic YWRtaW46YWRtaW4=");
  EXPECT_EQ(basic.result(), http::status::unauthorized);
  // Unknown paths do not reveal themselves before authentication.
  EXPECT_EQ(get("/nope", "").result(), http::status::unauthorized);
}

TEST_F(AdminHttpTest, AnswersHealthAndComplianceStatusWithJson) {
  start(simple_routes());
  auto health = get("/api/v1/health", bearer());
  ASSERT_EQ(health.result(), http::status::ok);
  EXPECT_EQ(std::string(health[http::field::content_type]), "application/json");
  EXPECT_EQ(nlohmann::json::parse(health.body())["status"], "ok");
  // The scheme is case-insensitive (RFC 9110 §11.1); a query string is ignored.
  auto status = get("/api/v1/compliance/status?verbose=1", std::string("bearer ") + kToken);
  ASSERT_EQ(status.result(), http::status::ok);
  auto body = nlohmann::json::parse(status.body());
  EXPECT_EQ(body["depth"], 3);
  EXPECT_EQ(body["enabled"], true);
}

TEST_F(AdminHttpTest, UnknownPathIs404AndOtherMethodsAre405) {
  start(simple_routes());
  EXPECT_EQ(get("/api/v1/nothing", bearer()).result(), http::status::not_found);
  auto socket = connect();
  auto post = exchange(socket, http::verb::post, "/api/v1/health", bearer());
  EXPECT_EQ(post.result(), http::status::method_not_allowed);
  EXPECT_EQ(std::string(post[http::field::allow]), "GET");
}

TEST_F(AdminHttpTest, MalformedRequestIs400) {
  start(simple_routes());
  auto socket = connect();
  asio::write(socket, asio::buffer(std::string("HELLO THERE\r\n\r\n")));
  EXPECT_EQ(read_response(socket).result(), http::status::bad_request);
}

TEST_F(AdminHttpTest, OversizedRequestIs413) {
  AdminHttpLimits limits;
  limits.max_header_bytes = 1024;
  start(simple_routes(), limits);
  auto socket = connect();
  http::request<http::string_body> request(http::verb::get, "/api/v1/health", 11);
  request.set(http::field::authorization, bearer());
  request.set("X-Padding", std::string(4096, 'x'));
  http::write(socket, request);
  EXPECT_EQ(read_response(socket).result(), http::status::payload_too_large);
}

TEST_F(AdminHttpTest, KeepsTheConnectionAliveBetweenRequests) {
  start(simple_routes());
  auto socket = connect();
  auto first = exchange(socket, http::verb::get, "/api/v1/health", bearer(), true);
  EXPECT_EQ(first.result(), http::status::ok);
  EXPECT_TRUE(first.keep_alive());
  auto second = exchange(socket, http::verb::get, "/api/v1/compliance/status", bearer(), true);
  EXPECT_EQ(second.result(), http::status::ok);
}

TEST_F(AdminHttpTest, ARouteThatNeverAnswersIs503) {
  AdminRoutes routes = simple_routes();
  auto kept = std::make_shared<AdminReplyCallback>();
  routes.health = [kept](AdminReplyCallback done) { *kept = std::move(done); };
  AdminHttpLimits limits;
  limits.route_timeout = std::chrono::milliseconds(100);
  start(std::move(routes), limits);
  EXPECT_EQ(get("/api/v1/health", bearer()).result(), http::status::service_unavailable);
  // The kept callback holds the connection, which holds the routes, which hold `kept`: break
  // the cycle the test made (a real route answers or drops its callback) once the server's
  // thread has ended.
  TearDown();
  *kept = nullptr;
}

TEST_F(AdminHttpTest, StopClosesOpenConnections) {
  start(simple_routes());
  auto socket = connect();
  auto first = exchange(socket, http::verb::get, "/api/v1/health", bearer(), true);
  ASSERT_EQ(first.result(), http::status::ok);
  server_->stop();
  char byte = 0;
  boost::system::error_code ec;
  socket.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, asio::error::eof);
}

}  // namespace
}  // namespace parley::app
