#pragma once
// Loopback harness: an XmppServer on 127.0.0.1 port 0 with a FakeCore and in-memory stores,
// and a raw test client that speaks bytes and reads elements back through the StreamParser.
// Every wait is bounded; nothing sleeps.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <deque>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "adapters/xmpp/xmpp_server.hpp"
#include "gateway/auth/scram.hpp"
#include "gateway/core/cpu_work_pool.hpp"
#include "tests/fakes/memory_stores.hpp"
#include "tests/unit/adapters/xmpp/features/fake_rooms.hpp"
#include "tests/unit/adapters/xmpp/session/fake_core.hpp"
#include "tests/unit/adapters/xmpp/session/scram_client.hpp"

namespace parley::xmpp::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// A throw-away self-signed certificate (EC P-256), generated per test process.
inline void install_test_certificate(asio::ssl::context& context) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  SSL_CTX_use_certificate(context.native_handle(), cert);
  SSL_CTX_use_PrivateKey(context.native_handle(), key);
  X509_free(cert);
  EVP_PKEY_free(key);
}

class TestClient {
 public:
  explicit TestClient(std::uint16_t port, bool direct_tls = false)
      : tls_context_(asio::ssl::context::tls_client),
        stream_(io_, tls_context_),
        parser_(wire::ParserLimits{}, callbacks()) {
    tls_context_.set_verify_mode(asio::ssl::verify_none);
    stream_.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    if (direct_tls) starttls();
  }

  void send(std::string_view bytes) {
    boost::system::error_code ec;
    if (tls_) {
      asio::write(stream_, asio::buffer(bytes.data(), bytes.size()), ec);
    } else {
      asio::write(stream_.next_layer(), asio::buffer(bytes.data(), bytes.size()), ec);
    }
  }

  // Sends a stream header and prepares for a new stream from the server.
  void open_stream(std::string_view to = "localhost", std::string_view version = "1.0",
                   std::string_view ns = "jabber:client") {
    parser_.reset();
    header_.reset();
    std::string header = "<?xml version='1.0'?><stream:stream xmlns='";
    header += ns;
    header += "' xmlns:stream='http://etherx.jabber.org/streams' to='";
    header += to;
    header += "'";
    if (!version.empty()) {
      header += " version='";
      header += version;
      header += "'";
    }
    header += ">";
    send(header);
  }

  std::optional<wire::StreamHeader> header(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!header_ && pump(deadline)) {
    }
    return header_;
  }

  // The next top-level element from the server.
  std::optional<wire::XmlElement> next(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (elements_.empty() && pump(deadline)) {
    }
    if (elements_.empty()) return std::nullopt;
    auto element = std::move(elements_.front());
    elements_.pop_front();
    return element;
  }

  // Skips elements until one with that name arrives.
  std::optional<wire::XmlElement> next_named(std::string_view name,
                                             std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (remaining <= 0ms) return std::nullopt;
      auto element = next(remaining);
      if (!element) return std::nullopt;
      if (element->name() == name) return element;
    }
  }

  // Reads until the server closes the TCP connection; true if it did within the timeout.
  bool wait_closed(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!eof_ && pump(deadline)) {
    }
    return eof_;
  }

  void starttls() {
    bool done = false;
    boost::system::error_code result;
    stream_.async_handshake(asio::ssl::stream_base::client,
                            [&](const boost::system::error_code& ec) {
                              result = ec;
                              done = true;
                            });
    io_.restart();
    io_.run_for(5s);
    ASSERT_TRUE(done) << "TLS handshake timed out";
    ASSERT_FALSE(result) << result.message();
    tls_ = true;
  }

  void close() {
    boost::system::error_code ignored;
    stream_.next_layer().close(ignored);
  }

  bool stream_closed_by_server() const { return server_closed_stream_; }
  std::size_t bytes_received() const { return bytes_received_; }
  std::optional<wire::ParseError> parse_error() const { return parse_error_; }
  bool tls() const { return tls_; }

 private:
  wire::StreamParser::Callbacks callbacks() {
    return wire::StreamParser::Callbacks{
        [this](const wire::StreamHeader& h) { header_ = h; },
        [this](wire::XmlElement&& e) { elements_.push_back(std::move(e)); },
        [this] { server_closed_stream_ = true; },
        [this](wire::ParseError e, std::string) { parse_error_ = e; }};
  }

  // One read, bounded by the deadline; false on timeout, EOF or error.
  bool pump(std::chrono::steady_clock::time_point deadline) {
    if (eof_) return false;
    bool done = false;
    boost::system::error_code result;
    std::size_t n = 0;
    auto handler = [&](const boost::system::error_code& ec, std::size_t bytes) {
      result = ec;
      n = bytes;
      done = true;
    };
    if (tls_) {
      stream_.async_read_some(asio::buffer(buffer_), handler);
    } else {
      stream_.next_layer().async_read_some(asio::buffer(buffer_), handler);
    }
    io_.restart();
    io_.run_until(deadline);
    if (!done) {
      boost::system::error_code ignored;
      stream_.next_layer().cancel(ignored);
      io_.restart();
      io_.run();
      if (!result || result == asio::error::operation_aborted) return false;
    }
    if (result) {
      eof_ = true;
      return false;
    }
    bytes_received_ += n;
    parser_.feed(std::string_view(buffer_.data(), n));
    return true;
  }

  asio::io_context io_;
  asio::ssl::context tls_context_;
  asio::ssl::stream<asio::ip::tcp::socket> stream_;
  wire::StreamParser parser_;
  std::array<char, 64 * 1024> buffer_{};
  bool tls_ = false;
  bool eof_ = false;
  std::size_t bytes_received_ = 0;
  bool server_closed_stream_ = false;
  std::optional<wire::StreamHeader> header_;
  std::deque<wire::XmlElement> elements_;
  std::optional<wire::ParseError> parse_error_;
};

inline XmppConfig test_config() {
  XmppConfig config;
  config.domains = {"localhost", "example.org"};
  config.c2s = {true, "127.0.0.1", 0};
  config.direct_tls = {true, "127.0.0.1", 0};
  config.close_timeout = std::chrono::seconds(2);
  return config;
}

class Loopback : public ::testing::Test {
 protected:
  Loopback() : store_(stores_) { install_test_certificate(tls_); }

  ~Loopback() override { stop_server(); }

  void add_account(std::string_view local, std::string_view password) {
    auto address = model::Address::from_parts(local, "localhost");
    ASSERT_TRUE(address.ok());
    ASSERT_TRUE(store_.drain());
    stores_.accounts.create(*address, auth::make_credentials(password, 4096));
  }

  void start(XmppConfig config = test_config()) {
    add_account("alice", "secret");
    add_account("bob", "hunter2");
    server_ = std::make_unique<XmppServer>(io_, std::move(config), tls_, core_, store_,
                                           cpu_work_override_ ? *cpu_work_override_ : cpu_work_,
                                           rooms_, archive_);
    server_->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }

  // Stops the server with a bounded wait; true when every session ended in time.
  bool stop_server(std::chrono::milliseconds timeout = 10s) {
    bool stopped = true;
    if (server_ && !stopped_) {
      stopped_ = true;
      auto promise = std::make_shared<std::promise<void>>();
      auto future = promise->get_future();
      server_->stop([promise] { promise->set_value(); });
      stopped = future.wait_for(timeout) == std::future_status::ready;
    }
    if (!threads_.empty()) {
      io_.stop();
      for (auto& t : threads_) t.join();
      threads_.clear();
    }
    return stopped;
  }

  std::unique_ptr<TestClient> connect(bool direct_tls = false) {
    return std::make_unique<TestClient>(
        direct_tls ? server_->direct_tls_port() : server_->c2s_port(), direct_tls);
  }

  // Header + features; returns the features.
  static std::optional<wire::XmlElement> open(TestClient& client) {
    client.open_stream();
    if (!client.header()) return std::nullopt;
    return client.next_named("features");
  }

  static void negotiate_tls(TestClient& client) {
    auto features = open(client);
    ASSERT_TRUE(features);
    ASSERT_NE(features->child("starttls"), nullptr);
    client.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    auto proceed = client.next();
    ASSERT_TRUE(proceed);
    ASSERT_EQ(proceed->name(), "proceed");
    client.starttls();
  }

  static std::string plain_auth(std::string_view user, std::string_view password) {
    std::string message;
    message.push_back('\0');
    message += user;
    message.push_back('\0');
    message += password;
    return "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" +
           auth::base64_encode(message) + "</auth>";
  }

  // TLS, PLAIN and the restart; returns the post-auth features.
  static std::optional<wire::XmlElement> authenticate(TestClient& client, std::string_view user,
                                                      std::string_view password) {
    if (!client.tls()) negotiate_tls(client);
    auto features = open(client);
    if (!features) return std::nullopt;
    client.send(plain_auth(user, password));
    auto success = client.next();
    if (!success || success->name() != "success") return std::nullopt;
    return open(client);
  }

  static std::string bind(TestClient& client, std::string_view resource) {
    std::string iq = "<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>";
    if (!resource.empty()) {
      iq += "<resource>";
      iq += resource;
      iq += "</resource>";
    }
    iq += "</bind></iq>";
    client.send(iq);
    auto result = client.next_named("iq");
    if (!result || result->attr_or("type") != "result") return {};
    const auto* b = result->child("bind");
    return b ? b->child_text("jid") : std::string();
  }

  std::unique_ptr<TestClient> logged_in(std::string_view user, std::string_view password,
                                        std::string_view resource, bool direct_tls = false) {
    auto client = connect(direct_tls);
    if (!authenticate(*client, user, password)) return nullptr;
    if (bind(*client, resource).empty()) return nullptr;
    return client;
  }

  // Logged in and bound over plain TCP (SCRAM-SHA-1; the server must not require STARTTLS).
  std::unique_ptr<TestClient> logged_in_without_tls(std::string_view user,
                                                    std::string_view password,
                                                    std::string_view resource) {
    auto client = connect();
    if (!open(*client)) return nullptr;
    ScramClient scram(auth::ScramHash::sha1, std::string(user), std::string(password));
    client->send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>" +
                 auth::base64_encode(scram.client_first()) + "</auth>");
    auto challenge = client->next();
    if (!challenge || challenge->name() != "challenge") return nullptr;
    auto server_first = auth::base64_decode(challenge->text());
    if (!server_first) return nullptr;
    client->send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" +
                 auth::base64_encode(scram.client_final(*server_first)) + "</response>");
    auto success = client->next();
    if (!success || success->name() != "success") return nullptr;
    if (!open(*client) || bind(*client, resource).empty()) return nullptr;
    return client;
  }

  static model::Address addr(std::string_view text) { return *model::Address::parse(text); }

  asio::io_context io_;
  asio::ssl::context tls_{asio::ssl::context::tls_server};
  FakeCore core_;
  fakes::MemoryStores stores_;
  fakes::ThreadedStoreExecutor store_;
  FakeRooms rooms_;  // no rooms: the MUC paths are tested in tests/unit/.../muc
  FakeArchive archive_;
  // PLAIN checks and registrations run here, as in parleyd; after io_, so it stops first.
  core::CpuWorkPool cpu_work_{core::CpuWorkPool::Limits{.threads = 1}};
  api::CpuWork* cpu_work_override_ = nullptr;  // set before start(): replaces cpu_work_
  std::unique_ptr<XmppServer> server_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

}  // namespace parley::xmpp::test
