#pragma once
// RawClient: a hand-driven XMPP client over a plain TCP socket, upgraded with OpenSSL
// (STARTTLS, RFC 6120 §5) or TLS from the first byte (direct TLS, XEP-0368). It sends exactly
// the bytes a test gives it, so it reaches what a library client never sends: malformed XML,
// DTDs, stanzas before authentication, wrong namespaces, a chosen SASL mechanism, XEP-0198
// by hand, and a connection cut without </stream:stream>.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "tests/integration/support/xml_node.hpp"

struct ssl_ctx_st;
struct ssl_st;

namespace parley::it {

enum class Transport { plain, direct_tls };
enum class SaslMechanism { scram_sha256, scram_sha1, plain };
std::string_view mechanism_name(SaslMechanism mechanism);

struct SaslOutcome {
  bool success = false;
  std::string failure_condition;  // e.g. "not-authorized" (RFC 6120 §6.5)
  bool server_verified = true;    // SCRAM: the server's final signature matched
};

class RawClient {
 public:
  static constexpr std::chrono::seconds kTimeout{10};

  RawClient(std::uint16_t port, Transport transport);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // ---- bytes ----
  void send_raw(std::string_view bytes);
  void send(const XmlNode& element) { send_raw(element.to_string()); }
  bool is_tls() const { return ssl_ != nullptr; }

  // ---- reading ----
  // The next top-level element, or nullopt on timeout, end of stream or closed connection.
  std::optional<XmlNode> next(std::chrono::milliseconds timeout = kTimeout);
  // Skips elements until one matches; nullopt on timeout or close.
  std::optional<XmlNode> next_matching(const std::function<bool(const XmlNode&)>& match,
                                       std::chrono::milliseconds timeout = kTimeout);
  // Reads until the server ends the stream. Returns the stream error condition (RFC 6120
  // §4.9.3), "" when the stream or connection closed without one, or nullopt on timeout.
  std::optional<std::string> wait_stream_error(std::chrono::milliseconds timeout = kTimeout);
  // True once the server closed the TCP connection (EOF) within the timeout.
  bool wait_connection_closed(std::chrono::milliseconds timeout = kTimeout);
  const XmppStreamReader& reader() const { return reader_; }

  // ---- protocol steps (each throws std::runtime_error describing what came instead) ----
  // Sends a stream header and returns the server's <stream:features/>.
  XmlNode open_stream(const StreamHeader& header = {});
  // RFC 6120 §5.4.2: <starttls/>, <proceed/>, TLS handshake, stream restart; returns features.
  XmlNode starttls();
  // RFC 6120 §6.4 with the chosen mechanism.
  SaslOutcome authenticate(SaslMechanism mechanism, const std::string& user,
                           const std::string& password);
  // After SASL success: restart the stream, returns features (RFC 6120 §6.4.6).
  XmlNode restart_stream();
  // RFC 6120 §7: binds the resource; returns the full JID.
  std::string bind(const std::string& resource);
  // Header, STARTTLS (on the plain transport), SASL, restart, bind. Returns the post-SASL
  // features.
  XmlNode login(const std::string& bare_jid, const std::string& password,
                const std::string& resource, SaslMechanism mechanism = SaslMechanism::scram_sha256);
  // Sends an IQ (with a fresh id unless it has one) and waits for the reply with that id.
  XmlNode iq(XmlNode request);
  std::string next_id();
  const std::string& bound_jid() const { return bound_jid_; }

  // Closes the socket without a closing stream tag or TLS close_notify: a dead connection.
  void cut();

 private:
  bool read_some(std::chrono::steady_clock::time_point deadline);
  void tls_handshake();
  bool wait_io(bool for_write, std::chrono::steady_clock::time_point deadline);
  std::optional<XmlNode> expect(std::string_view what, std::chrono::milliseconds timeout);

  int fd_ = -1;
  ssl_ctx_st* ssl_ctx_ = nullptr;
  ssl_st* ssl_ = nullptr;
  bool eof_ = false;
  XmppStreamReader reader_;
  std::string bound_jid_;
  int id_counter_ = 0;
};

}  // namespace parley::it
