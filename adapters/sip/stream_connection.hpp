#pragma once
// One TCP or TLS connection of the SIP stack (RFC 3261 §18.3): reads through the StreamFramer
// into whole messages, answers RFC 5626 double-CRLF pings with a CRLF pong, writes one message
// at a time from a bounded outbox, closes after an idle timeout, and after a framing error
// (413/513/400) answers, half-closes and closes, and pauses reading while its read gate says
// so. Runs on its own strand.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "adapters/sip/sip_stack.hpp"

namespace parley::sip {

// The stack side of a connection; called on the connection's strand, must only post.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void on_stream_message(const Flow& flow, std::string data) = 0;
  virtual void on_stream_closed(const Flow& flow) = 0;
};

// Asked before each read of a stream; while it answers true the connection reads nothing
// (polled every 5 ms), so TCP flow control holds the peer, as XMPP sessions are held while the
// archive is backlogged. May be called on any io thread; must be cheap.
using ReadGate = std::function<bool()>;

struct StreamOptions {
  std::size_t max_message_bytes = 64 * 1024;
  std::chrono::milliseconds idle_timeout{300000};
  std::chrono::milliseconds handshake_timeout{10000};
  std::size_t outbox_high_watermark = 1024;
  ReadGate hold_reads;  // empty: never held
};

class StreamConnection {
 public:
  virtual ~StreamConnection() = default;
  virtual void start() = 0;
  virtual void send(std::string bytes) = 0;  // any thread
  virtual void close() = 0;                  // any thread
  virtual const Flow& flow() const = 0;
};

// `socket` must use a strand executor of its own (the acceptor's make_strand).
std::shared_ptr<StreamConnection> make_tcp_connection(boost::asio::ip::tcp::socket socket,
                                                      Flow flow, StreamOptions options,
                                                      std::shared_ptr<StreamSink> sink);
std::shared_ptr<StreamConnection> make_tls_connection(boost::asio::ip::tcp::socket socket,
                                                      boost::asio::ssl::context& tls, Flow flow,
                                                      StreamOptions options,
                                                      std::shared_ptr<StreamSink> sink);

}  // namespace parley::sip
