#pragma once
// One client connection of the driver: a TCP socket, the gateway's incremental expat
// StreamParser (adapters/xmpp/wire) and a write buffer. Two phases:
//  - handshake: coroutines (connect, write, next_stanza) used by xmpp_login.*; a deadline
//    closes the socket so no step can hang;
//  - traffic: start_reading() hands every stanza to a callback, and queue()/flush() keep one
//    async_write in flight with the bytes queued meanwhile behind it (buffers are reused).
// Everything runs on the connection's IoThread; handlers hold shared_from_this().
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"
#include "bench/io_pool.hpp"

namespace parley::bench {

class XmppConnection : public std::enable_shared_from_this<XmppConnection> {
 public:
  using StanzaHandler = std::function<void(xmpp::wire::XmlElement&&)>;
  using CloseHandler = std::function<void(const std::string& reason)>;

  XmppConnection(IoThread& thread, std::string name);
  XmppConnection(const XmppConnection&) = delete;
  XmppConnection& operator=(const XmppConnection&) = delete;

  boost::asio::io_context& io() { return thread_.io; }
  const std::string& name() const { return name_; }

  // ---- handshake phase (throw std::runtime_error naming the connection) ----
  // source: local address to bind first (empty: the kernel's choice).
  boost::asio::awaitable<void> connect(const std::string& host, std::uint16_t port,
                                       const std::string& source = {});
  boost::asio::awaitable<void> write(std::string bytes);
  boost::asio::awaitable<void> send(const xmpp::wire::XmlElement& stanza);
  // The next top-level element from the server; a stream error or the end of the stream throws.
  boost::asio::awaitable<xmpp::wire::XmlElement> next_stanza();
  // RFC 6120 §4.3.3: a new stream after SASL success; the parser starts over.
  void restart_stream() { parser_.reset(); }
  bool peer_closed_stream() const { return stream_closed_; }
  // After `timeout` the socket is closed (any pending handshake step then throws "timeout").
  void arm_deadline(std::chrono::milliseconds timeout);
  void disarm_deadline();

  // ---- traffic phase (callbacks, on this connection's thread) ----
  // Stanzas already parsed come first. on_close runs once if the connection ends by itself.
  void start_reading(StanzaHandler on_stanza, CloseHandler on_close);
  // Append bytes to the write buffer, then flush().
  std::string& out_buffer() { return out_; }
  void flush();
  // Drops the callbacks (call from a posted task, never from inside one of them).
  void stop_reading();
  std::size_t backlog_bytes() const { return out_.size() + in_flight_.size(); }

  void close();
  bool closed() const { return closed_; }

 private:
  boost::asio::awaitable<void> read_more();
  void wait_readable();
  void on_readable(const boost::system::error_code& ec);
  void end(const std::string& reason);
  [[noreturn]] void fail(const std::string& what) const;

  IoThread& thread_;
  std::string name_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer deadline_;
  xmpp::wire::StreamParser parser_;
  std::deque<xmpp::wire::XmlElement> inbox_;  // handshake: parsed, not yet consumed
  std::string parse_error_;
  StanzaHandler on_stanza_;
  CloseHandler on_close_;
  std::string out_;
  std::string in_flight_;
  bool writing_ = false;
  bool stream_closed_ = false;
  bool timed_out_ = false;
  bool closed_ = false;
};

}  // namespace parley::bench
