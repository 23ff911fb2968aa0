#pragma once
// One XMPP client connection of the benchmark driver: plain TCP, SCRAM-SHA-1, bind, initial
// presence and a MUC join (XEP-0045 §7.2), then a read loop that hands every stanza to a
// callback. The server's bytes go through the gateway's own incremental expat StreamParser.
// Single-threaded: every member runs on the one io_context thread of the driver.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <deque>
#include <functional>
#include <string>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"

namespace parley::bench {

struct ClientSettings {
  std::string host;
  unsigned short port = 0;
  std::string domain;
  std::string user;  // localpart; also the room nickname
  std::string password;
  std::string room_jid;  // room@muc
};

class BenchClient {
 public:
  using StanzaHandler = std::function<void(const xmpp::wire::XmlElement&)>;

  BenchClient(boost::asio::io_context& io, ClientSettings settings);

  // Connect, authenticate, bind, send initial presence, join the room and wait for the
  // self-presence (status 110). Throws std::runtime_error on any failure.
  boost::asio::awaitable<void> connect_and_join();
  // Reads until the connection ends; every stanza goes to handler. Returns quietly on close.
  boost::asio::awaitable<void> read_loop(StanzaHandler handler);
  // Sends one stanza (callers keep at most one send outstanding per client).
  boost::asio::awaitable<void> send(const xmpp::wire::XmlElement& stanza);
  void close();
  const std::string& nick() const { return settings_.user; }
  bool closed() const { return closed_; }

 private:
  boost::asio::awaitable<void> open_stream();
  boost::asio::awaitable<void> authenticate();
  boost::asio::awaitable<void> bind_and_join();
  // Next stanza from the server, reading as needed.
  boost::asio::awaitable<xmpp::wire::XmlElement> next_stanza();
  boost::asio::awaitable<void> write_raw(std::string bytes);

  ClientSettings settings_;
  boost::asio::ip::tcp::socket socket_;
  xmpp::wire::StreamParser parser_;
  std::deque<xmpp::wire::XmlElement> inbox_;
  std::string parse_error_;
  bool stream_closed_ = false;
  bool closed_ = false;
  StanzaHandler handler_;  // set by read_loop: stanzas go here instead of inbox_
  std::array<char, 64 * 1024> buffer_{};
};

}  // namespace parley::bench
