#pragma once
// Loopback harness for the SIP stack: a SipServer on 127.0.0.1 port 0 with short RFC 3261
// timers and a recording RequestHandler, plus raw UDP/TCP/TLS peers that send bytes and read
// messages back. Every wait is bounded by a timeout; nothing sleeps to synchronise.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <poll.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sip/sip_server.hpp"
#include "adapters/sip/wire/sip_message.hpp"
#include "adapters/sip/wire/stream_framer.hpp"

namespace parley::sip::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

// A throw-away self-signed EC certificate for the TLS listener.
inline void use_throwaway_certificate(asio::ssl::context& context) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sip.test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  SSL_CTX_use_certificate(context.native_handle(), cert);
  SSL_CTX_use_PrivateKey(context.native_handle(), key);
  X509_free(cert);
  EVP_PKEY_free(key);
}

class RecordingHandler : public RequestHandler {
 public:
  // Runs on an io thread for every request; default: keep the transaction unanswered.
  std::function<void(const std::shared_ptr<ServerTransaction>&)> policy;

  void on_request(std::shared_ptr<ServerTransaction> transaction) override {
    if (policy) policy(transaction);
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(transaction));
    cv_.notify_all();
  }
  void on_flow_closed(const Flow& flow) override {
    std::lock_guard lock(mutex_);
    closed_.push_back(flow);
    cv_.notify_all();
  }
  bool wait_requests(std::size_t n, Millis timeout = 3000ms) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }
  bool wait_closed(std::size_t n, Millis timeout = 3000ms) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return closed_.size() >= n; });
  }
  std::size_t request_count() {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  std::shared_ptr<ServerTransaction> request(std::size_t i) {
    std::lock_guard lock(mutex_);
    return requests_.at(i);
  }
  // Releases the handler's references (a dropped transaction is answered 500 by the stack).
  void clear() {
    std::lock_guard lock(mutex_);
    requests_.clear();
  }
  std::vector<Flow> closed() {
    std::lock_guard lock(mutex_);
    return closed_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<ServerTransaction>> requests_;
  std::vector<Flow> closed_;
};

inline SipConfig test_config() {
  SipConfig config;
  config.udp = {true, "127.0.0.1", 0};
  config.tcp = {true, "127.0.0.1", 0};
  config.tls = {true, "127.0.0.1", 0};
  config.timers.t1 = 20ms;  // Timer F / J / H = 1.28 s
  config.timers.t2 = 80ms;
  config.timers.t4 = 100ms;
  config.max_message_bytes = 4096;
  config.requests_per_second_per_source = 0;
  return config;
}

class StackHarness {
 public:
  // `hold_reads`: SipServer::hold_reads_while, set before the server starts.
  explicit StackHarness(SipConfig config = test_config(), std::function<bool()> hold_reads = {})
      : tls_(asio::ssl::context::tls_server),
        work_(asio::make_work_guard(io_)),
        server_(io_, std::move(config), tls_, handler_) {
    use_throwaway_certificate(tls_);
    if (hold_reads) server_.hold_reads_while(std::move(hold_reads));
    server_.start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~StackHarness() {
    std::promise<void> stopped;
    server_.stop([&] { stopped.set_value(); });
    stopped.get_future().wait_for(5s);
    handler_.clear();
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }
  SipServer& server() { return server_; }
  RecordingHandler& handler() { return handler_; }

 private:
  asio::io_context io_;
  asio::ssl::context tls_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  RecordingHandler handler_;
  SipServer server_;
  std::vector<std::thread> threads_;
};

inline bool readable(int fd, Millis timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

struct RequestSpec {
  std::string method = "MESSAGE";
  std::string branch = "z9hG4bKtest1";
  std::string transport = "UDP";
  std::uint16_t via_port = 5060;
  bool rport = true;
  std::string call_id = "call-1";
  std::uint32_t cseq = 1;
  std::vector<std::string> extra;  // whole header lines without CRLF
  std::string body;
};

inline std::string make_request(const RequestSpec& s) {
  std::string text = s.method + " sip:alice@example.com SIP/2.0\r\n";
  text += "Via: SIP/2.0/" + s.transport + " 127.0.0.1:" + std::to_string(s.via_port) +
          ";branch=" + s.branch + (s.rport ? ";rport" : "") + "\r\n";
  text += "Max-Forwards: 70\r\n";
  text += "From: <sip:bob@example.com>;tag=from1\r\n";
  text += "To: <sip:alice@example.com>\r\n";
  text += "Call-ID: " + s.call_id + "\r\n";
  text += "CSeq: " + std::to_string(s.cseq) + " " + s.method + "\r\n";
  for (const auto& line : s.extra) text += line + "\r\n";
  text += "Content-Length: " + std::to_string(s.body.size()) + "\r\n\r\n" + s.body;
  return text;
}

class UdpPeer {
 public:
  explicit UdpPeer(std::uint16_t server_port)
      : socket_(io_, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        server_(asio::ip::make_address("127.0.0.1"), server_port) {}
  std::uint16_t port() const { return socket_.local_endpoint().port(); }
  void send(std::string_view bytes) {
    socket_.send_to(asio::buffer(bytes.data(), bytes.size()), server_);
  }
  // The next datagram as bytes, nullopt on timeout.
  std::optional<std::string> receive_raw(Millis timeout = 2000ms) {
    if (!readable(socket_.native_handle(), timeout)) return std::nullopt;
    std::array<char, 65536> buffer{};
    asio::ip::udp::endpoint from;
    std::size_t n = socket_.receive_from(asio::buffer(buffer), from);
    last_from_ = from;
    return std::string(buffer.data(), n);
  }
  // The next datagram parsed as a SIP message, nullopt on timeout.
  std::optional<SipMessage> receive(Millis timeout = 2000ms) {
    auto raw = receive_raw(timeout);
    if (!raw) return std::nullopt;
    auto parsed = parse_sip(*raw);
    EXPECT_TRUE(parsed.ok()) << *raw;
    if (!parsed.ok()) return std::nullopt;
    return *parsed;
  }
  // Answers to where the last datagram came from.
  void reply(const SipMessage& message) {
    std::string bytes = serialize(message);
    socket_.send_to(asio::buffer(bytes), last_from_);
  }

 private:
  asio::io_context io_;
  asio::ip::udp::socket socket_;
  asio::ip::udp::endpoint server_;
  asio::ip::udp::endpoint last_from_;
};

class TcpPeer {
 public:
  explicit TcpPeer(std::uint16_t server_port, bool tls = false)
      : context_(asio::ssl::context::tls_client), stream_(io_, context_), tls_(tls) {
    context_.set_verify_mode(asio::ssl::verify_none);
    stream_.next_layer().connect({asio::ip::make_address("127.0.0.1"), server_port});
    if (tls_) stream_.handshake(asio::ssl::stream_base::client);
  }
  std::uint16_t port() const { return stream_.next_layer().local_endpoint().port(); }
  void send(std::string_view bytes) {
    boost::system::error_code ec;
    if (tls_) {
      asio::write(stream_, asio::buffer(bytes.data(), bytes.size()), ec);
    } else {
      asio::write(stream_.next_layer(), asio::buffer(bytes.data(), bytes.size()), ec);
    }
  }
  // The next framed message; lone CRLFs before it are counted as pongs.
  std::optional<SipMessage> receive(Millis timeout = 2000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      skip_pongs();
      auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        StreamFramer framer(1 << 20);
        for (auto& event : framer.feed(buffer_)) {
          if (auto* m = std::get_if<FramedMessage>(&event)) {
            buffer_.erase(0, m->data.size());
            auto parsed = parse_sip(m->data);
            EXPECT_TRUE(parsed.ok()) << m->data;
            if (!parsed.ok()) return std::nullopt;
            return *parsed;
          }
        }
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }
  // Waits until `n` pongs ("\r\n") have been read.
  bool wait_pongs(int n, Millis timeout = 2000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      skip_pongs();
      if (pongs_ >= n) return true;
      if (!fill(deadline)) return false;
    }
  }
  // True once the server has closed the connection (EOF or reset) within the timeout.
  bool wait_closed(Millis timeout = 3000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
      if (!fill(deadline)) return closed_;
    }
    return true;
  }
  void close() {
    boost::system::error_code ec;
    stream_.next_layer().close(ec);
  }

 private:
  void skip_pongs() {
    while (buffer_.starts_with("\r\n")) {
      buffer_.erase(0, 2);
      ++pongs_;
    }
  }
  bool fill(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (closed_ || left.count() <= 0) return false;
    std::array<char, 8192> chunk{};
    boost::system::error_code ec;
    std::size_t n = 0;
    if (tls_) {
      // Not poll(): asio's TLS stream keeps its own buffer of encrypted bytes already taken
      // from the socket (a NewSessionTicket and the answer in one read), which poll cannot
      // see. A blocking read bounded by SO_RCVTIMEO sees everything.
      timeval tv{static_cast<time_t>(left.count() / 1000),
                 static_cast<suseconds_t>((left.count() % 1000) * 1000)};
      ::setsockopt(stream_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      n = stream_.read_some(asio::buffer(chunk), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again ||
          ec == asio::error::timed_out) {
        return false;
      }
    } else {
      if (!readable(stream_.next_layer().native_handle(), left)) return false;
      n = stream_.next_layer().read_some(asio::buffer(chunk), ec);
    }
    if (ec) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk.data(), n);
    return true;
  }

  asio::io_context io_;
  asio::ssl::context context_;
  asio::ssl::stream<asio::ip::tcp::socket> stream_;
  bool tls_;
  std::string buffer_;
  int pongs_ = 0;
  bool closed_ = false;
};

}  // namespace parley::sip::test
