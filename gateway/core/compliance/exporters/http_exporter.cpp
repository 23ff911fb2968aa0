// HttpExporter: one Beast request per batch, run on a private io_context so the whole exchange
// (resolve, connect, write, read) is bounded by one deadline without cancellation slots (Boost
// 1.74, TOOLCHAIN.md): run_for() the timeout, then close and drop whatever is still pending.
#include "gateway/core/compliance/exporters/http_exporter.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "gateway/core/compliance/compliance_json.hpp"

namespace parley::core::compliance {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kResponseBodyLimit = 64 * 1024;  // the answer is read, not kept

// The state of one request; the completion handlers run inside io_context::run_for on the
// calling thread, so nothing here is shared with another thread.
struct Exchange {
  explicit Exchange(asio::io_context& io) : resolver(io), stream(io) {}
  tcp::resolver resolver;
  beast::tcp_stream stream;
  http::request<http::string_body> request;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  std::optional<std::string> error;  // set when the exchange ended badly
  bool done = false;

  void fail(std::string_view what, const beast::error_code& ec) {
    error = std::string(what) + ": " + ec.message();
    done = true;
  }
};

void start(Exchange& x, const HttpUrl& url) {
  x.resolver.async_resolve(
      url.host, url.port, [&x](beast::error_code ec, const tcp::resolver::results_type& results) {
        if (ec) return x.fail("resolve", ec);
        x.stream.async_connect(results, [&x](beast::error_code ec2, const tcp::endpoint&) {
          if (ec2) return x.fail("connect", ec2);
          http::async_write(x.stream, x.request, [&x](beast::error_code ec3, std::size_t) {
            if (ec3) return x.fail("send", ec3);
            http::async_read(x.stream, x.buffer, x.parser,
                             [&x](beast::error_code ec4, std::size_t) {
                               if (ec4) return x.fail("response", ec4);
                               x.done = true;
                             });
          });
        });
      });
}

}  // namespace

HttpExporter::HttpExporter(const ExporterConfig& config)
    : name_(config.name),
      url_(parse_http_url(config.url)),
      timeout_(config.timeout),
      headers_(config.headers) {}

ExportResult HttpExporter::export_batch(std::span<const api::ComplianceEvent> events) {
  if (!url_) return ExportResult::failure("url: " + url_.error());
  if (events.empty()) return ExportResult::success();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& event : events) list.push_back(event_to_json_value(event));
  const nlohmann::json body{{"events", std::move(list)}};

  asio::io_context io;
  Exchange x(io);
  x.request.method(http::verb::post);
  x.request.target(url_->target);
  x.request.version(11);
  const bool ipv6 = url_->host.find(':') != std::string::npos;
  x.request.set(http::field::host, (ipv6 ? "[" + url_->host + "]" : url_->host) + ":" + url_->port);
  x.request.set(http::field::user_agent, "parleyd-compliance");
  x.request.set(http::field::content_type, "application/json");
  x.request.set("Idempotency-Key", events.front().id + ".." + events.back().id);
  for (const auto& [header, value] : headers_) x.request.set(header, value);
  x.request.keep_alive(false);
  x.request.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  x.request.prepare_payload();
  x.parser.body_limit(kResponseBodyLimit);
  x.stream.expires_after(timeout_);  // connect, write and read; run_for bounds the resolve

  start(x, *url_);
  io.run_for(timeout_);
  if (!x.done) {
    beast::error_code ignored;
    x.stream.socket().close(ignored);
    x.resolver.cancel();
    return ExportResult::failure("timeout after " + std::to_string(timeout_.count()) + " ms");
  }
  if (x.error) return ExportResult::failure(*x.error);
  const auto& response = x.parser.get();
  const unsigned status = response.result_int();
  if (status < 200 || status > 299) {
    return ExportResult::failure("HTTP " + std::to_string(status) + " " +
                                 std::string(response.reason()));
  }
  return ExportResult::success();
}

}  // namespace parley::core::compliance
