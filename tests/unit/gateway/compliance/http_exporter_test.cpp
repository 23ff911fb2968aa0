// HttpExporter against a tiny in-test HTTP server on 127.0.0.1:0: the request it sends, 2xx
// confirms, 500 fails, a silent server times out; URL parsing.
#include "gateway/core/compliance/exporters/http_exporter.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/unit/gateway/compliance/compliance_test_util.hpp"

namespace parley::core::compliance {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using compliance_testing::make_event;

// Accepts one connection, reads one request, answers with `status` (or never answers when
// `silent`, keeping the connection open until destroyed).
class OneShotServer {
 public:
  OneShotServer(unsigned status, bool silent)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        socket_(io_),
        status_(status),
        silent_(silent) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~OneShotServer() {
    release_.set_value();
    thread_.join();
  }

  std::string url(std::string_view path = "/ingest?x=1") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  // The request, once read (waits at most 10 s).
  const http::request<http::string_body>& request() {
    got_request_.wait_for(std::chrono::seconds(10));
    return request_;
  }

 private:
  void serve() {
    beast::error_code ec;
    acceptor_.accept(socket_, ec);
    if (!ec) {
      beast::flat_buffer buffer;
      http::read(socket_, buffer, request_, ec);
      request_read_.set_value();
      if (!ec && !silent_) {
        http::response<http::string_body> response{static_cast<http::status>(status_), 11};
        response.body() = "ok";
        response.prepare_payload();
        http::write(socket_, response, ec);
      }
    } else {
      request_read_.set_value();
    }
    released_.wait();  // a silent server holds the connection open
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  tcp::socket socket_;
  unsigned status_;
  bool silent_;
  unsigned short port_ = 0;
  http::request<http::string_body> request_;
  std::promise<void> request_read_;
  std::shared_future<void> got_request_ = request_read_.get_future().share();
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
  std::thread thread_;
};

ExporterConfig http_config(std::string url, std::chrono::milliseconds timeout) {
  ExporterConfig c;
  c.name = "vault";
  c.type = ExporterType::http;
  c.url = std::move(url);
  c.timeout = timeout;
  c.headers = {{"Authorization", "Bearer s3cret"}, {"X-Tenant", "acme"}};
  return c;
}

TEST(HttpExporter, PostsTheBatchAndAccepts2xx) {
  OneShotServer server(202, false);
  HttpExporter exporter(http_config(server.url(), std::chrono::seconds(10)));
  const std::vector<api::ComplianceEvent> events{make_event(1), make_event(2)};
  const auto result = exporter.export_batch(events);
  EXPECT_TRUE(result.ok) << result.error;
  const auto& request = server.request();
  EXPECT_EQ(request.method(), http::verb::post);
  EXPECT_EQ(request.target(), "/ingest?x=1");
  EXPECT_EQ(request[http::field::content_type], "application/json");
  EXPECT_EQ(request["Idempotency-Key"], events[0].id + ".." + events[1].id);
  EXPECT_EQ(request["Authorization"], "Bearer s3cret");
  EXPECT_EQ(request["X-Tenant"], "acme");
  const auto body = nlohmann::json::parse(request.body());
  ASSERT_EQ(body.at("events").size(), 2u);
  auto decoded = event_from_json_value(body.at("events").at(1));
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(*decoded, events[1]);
}

TEST(HttpExporter, ServerErrorFails) {
  OneShotServer server(500, false);
  HttpExporter exporter(http_config(server.url(), std::chrono::seconds(10)));
  const auto event = make_event(1);
  const auto result = exporter.export_batch({&event, 1});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "HTTP 500 Internal Server Error");
}

TEST(HttpExporter, SilentServerTimesOut) {
  OneShotServer server(200, true);
  HttpExporter exporter(http_config(server.url(), std::chrono::milliseconds(300)));
  const auto event = make_event(1);
  const auto started = std::chrono::steady_clock::now();
  const auto result = exporter.export_batch({&event, 1});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(result.ok);
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_NE(result.error.find("time"), std::string::npos) << result.error;
  server.request();  // it did get the request
}

TEST(HttpExporter, RefusedConnectionFails) {
  unsigned short port = 0;
  {  // a port that was free a moment ago and has no listener now
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = acceptor.local_endpoint().port();
  }
  HttpExporter exporter(
      http_config("http://127.0.0.1:" + std::to_string(port) + "/", std::chrono::seconds(5)));
  const auto event = make_event(1);
  const auto result = exporter.export_batch({&event, 1});
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("connect"), std::string::npos) << result.error;
}

TEST(HttpUrl, ParsesAndRejects) {
  auto url = parse_http_url("http://example.com");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url->host, "example.com");
  EXPECT_EQ(url->port, "80");
  EXPECT_EQ(url->target, "/");
  url = parse_http_url("http://[::1]:8080/a/b?c=d");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, "8080");
  EXPECT_EQ(url->target, "/a/b?c=d");
  url = parse_http_url("http://h?q");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->target, "/?q");
  EXPECT_FALSE(parse_http_url("https://example.com/"));
  EXPECT_FALSE(parse_http_url("ftp://example.com/"));
  EXPECT_FALSE(parse_http_url("http://:80/"));
  EXPECT_FALSE(parse_http_url("http://h:0/"));
  EXPECT_FALSE(parse_http_url("http://h:99999/"));
  EXPECT_FALSE(parse_http_url("http://h:8x/"));
  EXPECT_FALSE(parse_http_url("http://user:pw@h/"));
  EXPECT_FALSE(parse_http_url("http://h/a b"));
  EXPECT_FALSE(parse_http_url("http://[::1/"));
}

TEST(HttpExporter, BadUrlFailsEveryExport) {
  HttpExporter exporter(http_config("https://x/", std::chrono::seconds(1)));
  const auto event = make_event(1);
  const auto result = exporter.export_batch({&event, 1});
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("https"), std::string::npos);
}

}  // namespace
}  // namespace parley::core::compliance
