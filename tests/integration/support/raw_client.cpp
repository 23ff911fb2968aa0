#include "tests/integration/support/raw_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "tests/integration/support/scram_client.hpp"

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;

int millis_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string describe(const std::optional<XmlNode>& node) {
  return node ? node->to_string() : std::string("nothing (timeout or closed)");
}

}  // namespace

std::string_view mechanism_name(SaslMechanism mechanism) {
  switch (mechanism) {
    case SaslMechanism::scram_sha256:
      return "SCRAM-SHA-256";
    case SaslMechanism::scram_sha1:
      return "SCRAM-SHA-1";
    case SaslMechanism::plain:
      return "PLAIN";
  }
  return "";
}

RawClient::RawClient(std::uint16_t port, Transport transport) {
  // OpenSSL writes with write(2): a peer that already closed must fail the write, not kill
  // the test process.
  ::signal(SIGPIPE, SIG_IGN);
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    ::close(fd_);
    throw std::system_error(err, std::generic_category(),
                            "connect 127.0.0.1:" + std::to_string(port));
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // Non-blocking from here on: every wait goes through poll() with a deadline.
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  if (transport == Transport::direct_tls) tls_handshake();
}

RawClient::~RawClient() {
  if (ssl_) SSL_free(ssl_);
  if (ssl_ctx_) SSL_CTX_free(ssl_ctx_);
  if (fd_ >= 0) ::close(fd_);
}

bool RawClient::wait_io(bool for_write, Clock::time_point deadline) {
  pollfd p{fd_, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  for (;;) {
    const int r = ::poll(&p, 1, millis_left(deadline));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

void RawClient::tls_handshake() {
  ssl_ctx_ = SSL_CTX_new(TLS_client_method());
  // parleyd generates a self-signed certificate for the tests: no verification here; what is
  // under test is the XMPP layer above TLS.
  SSL_CTX_set_verify(ssl_ctx_, SSL_VERIFY_NONE, nullptr);
  ssl_ = SSL_new(ssl_ctx_);
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, "localhost");
  const auto deadline = Clock::now() + kTimeout;
  for (;;) {
    const int r = SSL_connect(ssl_);
    if (r == 1) return;
    const int err = SSL_get_error(ssl_, r);
    if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
        wait_io(err == SSL_ERROR_WANT_WRITE, deadline)) {
      continue;
    }
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    throw std::runtime_error(std::string("TLS handshake failed: ") + buf);
  }
}

void RawClient::send_raw(std::string_view bytes) {
  const auto deadline = Clock::now() + kTimeout;
  std::size_t done = 0;
  while (done < bytes.size()) {
    const char* data = bytes.data() + done;
    const std::size_t len = bytes.size() - done;
    if (ssl_) {
      const int r = SSL_write(ssl_, data, static_cast<int>(len));
      if (r > 0) {
        done += static_cast<std::size_t>(r);
        continue;
      }
      const int err = SSL_get_error(ssl_, r);
      if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
          wait_io(err == SSL_ERROR_WANT_WRITE, deadline)) {
        continue;
      }
      throw std::runtime_error("TLS write failed");
    }
    const ssize_t r = ::send(fd_, data, len, MSG_NOSIGNAL);
    if (r > 0) {
      done += static_cast<std::size_t>(r);
    } else if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_io(true, deadline)) throw std::runtime_error("write timed out");
    } else {
      throw std::system_error(errno, std::generic_category(), "send");
    }
  }
}

bool RawClient::read_some(Clock::time_point deadline) {
  if (eof_) return false;
  char buf[16384];
  for (;;) {
    if (ssl_) {
      const int r = SSL_read(ssl_, buf, sizeof buf);
      if (r > 0) {
        reader_.feed(std::string_view(buf, static_cast<std::size_t>(r)));
        return true;
      }
      const int err = SSL_get_error(ssl_, r);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        if (!wait_io(err == SSL_ERROR_WANT_WRITE, deadline)) return false;
        continue;
      }
      eof_ = true;  // close_notify, reset or a TLS error: the connection is over
      return false;
    }
    const ssize_t r = ::recv(fd_, buf, sizeof buf, 0);
    if (r > 0) {
      reader_.feed(std::string_view(buf, static_cast<std::size_t>(r)));
      return true;
    }
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_io(false, deadline)) return false;
      continue;
    }
    eof_ = true;
    return false;
  }
}

std::optional<XmlNode> RawClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto node = reader_.pop()) return node;
    if (reader_.closed() || !reader_.error().empty()) return std::nullopt;
    if (!read_some(deadline)) {
      return reader_.pop();
    }
  }
}

std::optional<XmlNode> RawClient::next_matching(const std::function<bool(const XmlNode&)>& match,
                                                std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    auto node =
        next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    if (!node) return std::nullopt;
    if (match(*node)) return node;
  }
  return std::nullopt;
}

std::optional<std::string> RawClient::wait_stream_error(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    while (auto node = reader_.pop()) {
      if (node->is("error", kNsStream)) {
        for (const auto& c : node->children()) {
          if (c.ns() == kNsStreamErrors && c.name() != "text") return c.name();
        }
        return std::string("(stream error without condition)");
      }
    }
    if (reader_.closed() || eof_ || !reader_.error().empty()) return std::string();
    if (!read_some(deadline) && !eof_) return std::nullopt;  // timed out
  }
}

bool RawClient::wait_connection_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  bool answered = false;
  while (!eof_) {
    if (reader_.closed() && !answered) {
      // RFC 6120 §4.4: answer the server's closing tag with ours; the server then closes the
      // TCP connection instead of waiting for its close timeout.
      answered = true;
      try {
        send_raw("</stream:stream>");
      } catch (const std::exception&) {
        // The server may already have closed; the EOF below tells.
      }
    }
    if (!read_some(deadline) && !eof_) return false;
    while (reader_.pop()) {
    }
  }
  return true;
}

std::optional<XmlNode> RawClient::expect(std::string_view what, std::chrono::milliseconds timeout) {
  auto node = next(timeout);
  if (!node) {
    throw std::runtime_error(
        "expected " + std::string(what) + ", got " + describe(node) +
        (reader_.error().empty() ? "" : " (XML error: " + reader_.error() + ")"));
  }
  return node;
}

XmlNode RawClient::open_stream(const StreamHeader& header) {
  reader_.reset();
  send_raw(stream_header(header));
  auto features = expect("<stream:features/>", kTimeout);
  if (!features->is("features", kNsStream)) {
    throw std::runtime_error("expected <stream:features/>, got " + features->to_string());
  }
  return *features;
}

XmlNode RawClient::starttls() {
  send(XmlNode("starttls", std::string(kNsTls)));
  auto reply = expect("<proceed/>", kTimeout);
  if (!reply->is("proceed", kNsTls)) {
    throw std::runtime_error("expected <proceed/>, got " + reply->to_string());
  }
  tls_handshake();
  return open_stream();
}

SaslOutcome RawClient::authenticate(SaslMechanism mechanism, const std::string& user,
                                    const std::string& password) {
  XmlNode auth("auth", std::string(kNsSasl));
  auth.set("mechanism", std::string(mechanism_name(mechanism)));
  std::optional<ScramClient> scram;
  if (mechanism == SaslMechanism::plain) {
    // RFC 4616: authzid NUL authcid NUL passwd, with an empty authzid.
    auth.set_text(base64_encode(std::string("\0", 1) + user + std::string("\0", 1) + password));
  } else {
    scram.emplace(mechanism == SaslMechanism::scram_sha1 ? ScramHash::sha1 : ScramHash::sha256,
                  user, password);
    auth.set_text(base64_encode(scram->client_first()));
  }
  send(auth);

  SaslOutcome outcome;
  for (;;) {
    auto reply = expect("a SASL reply", kTimeout);
    if (reply->is("challenge", kNsSasl) && scram) {
      auto server_first = base64_decode(reply->text());
      auto final_message = server_first ? scram->client_final(*server_first) : std::nullopt;
      if (!final_message) throw std::runtime_error("bad SCRAM challenge " + reply->to_string());
      send(XmlNode("response", std::string(kNsSasl)).set_text(base64_encode(*final_message)));
    } else if (reply->is("success", kNsSasl)) {
      outcome.success = true;
      if (scram) {
        // RFC 6120 §6.4.6: the additional data (v=...) comes with <success/>.
        auto server_final = base64_decode(reply->text());
        outcome.server_verified = server_final && scram->verify_server_final(*server_final);
      }
      return outcome;
    } else if (reply->is("failure", kNsSasl)) {
      for (const auto& c : reply->children()) {
        if (c.name() != "text") outcome.failure_condition = c.name();
      }
      return outcome;
    } else {
      throw std::runtime_error("unexpected SASL reply " + reply->to_string());
    }
  }
}

XmlNode RawClient::restart_stream() {
  return open_stream();
}

std::string RawClient::bind(const std::string& resource) {
  XmlNode request("iq");
  request.set("type", "set")
      .append(XmlNode("bind", std::string(kNsBind))
                  .append(XmlNode("resource", std::string(kNsBind)).set_text(resource)));
  auto reply = iq(std::move(request));
  const XmlNode* bind = reply.child("bind", kNsBind);
  if (reply.attr_or("type") != "result" || !bind) {
    throw std::runtime_error("bind failed: " + reply.to_string());
  }
  bound_jid_ = bind->child_text("jid", kNsBind);
  return bound_jid_;
}

XmlNode RawClient::login(const std::string& bare_jid, const std::string& password,
                         const std::string& resource, SaslMechanism mechanism) {
  const std::string domain = bare_jid.substr(bare_jid.find('@') + 1);
  open_stream(StreamHeader{.to = domain});
  if (!is_tls()) starttls();
  const auto outcome = authenticate(mechanism, bare_jid.substr(0, bare_jid.find('@')), password);
  if (!outcome.success) {
    throw std::runtime_error("SASL " + std::string(mechanism_name(mechanism)) +
                             " failed: " + outcome.failure_condition);
  }
  XmlNode features = restart_stream();
  bind(resource);
  return features;
}

std::string RawClient::next_id() {
  return "raw-" + std::to_string(++id_counter_);
}

XmlNode RawClient::iq(XmlNode request) {
  if (!request.attr("id")) request.set("id", next_id());
  const std::string id = *request.attr("id");
  send(request);
  auto reply = next_matching(
      [&](const XmlNode& n) { return n.name() == "iq" && n.attr_or("id") == id; }, kTimeout);
  if (!reply) throw std::runtime_error("no reply to " + request.to_string());
  return *reply;
}

void RawClient::cut() {
  // SO_LINGER 0 makes close() send a reset at once: the server sees a dead peer, not a
  // graceful shutdown.
  linger l{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  if (ssl_) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  ::close(fd_);
  fd_ = -1;
  eof_ = true;
}

}  // namespace parley::it
