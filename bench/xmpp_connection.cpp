#include "bench/xmpp_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <stdexcept>

namespace parley::bench {
namespace {

namespace asio = boost::asio;
using asio::use_awaitable;
using xmpp::wire::XmlElement;

constexpr std::string_view kStreamNs = "http://etherx.jabber.org/streams";
// Bounded per-wakeup work: after this many full reads the connection yields to the others of
// its thread (fairness), the rest is read on the next readiness.
constexpr int kReadsPerWakeup = 4;

}  // namespace

XmppConnection::XmppConnection(IoThread& thread, std::string name)
    : thread_(thread),
      name_(std::move(name)),
      socket_(thread.io),
      deadline_(thread.io),
      parser_(xmpp::wire::ParserLimits{.max_stanza_bytes = 1024 * 1024},
              xmpp::wire::StreamParser::Callbacks{
                  .on_stream_open = [](const xmpp::wire::StreamHeader&) {},
                  .on_stanza =
                      [this](XmlElement&& stanza) {
                        if (on_stanza_) {
                          on_stanza_(std::move(stanza));
                        } else {
                          inbox_.push_back(std::move(stanza));
                        }
                      },
                  .on_stream_close = [this] { stream_closed_ = true; },
                  .on_error =
                      [this](xmpp::wire::ParseError error, std::string detail) {
                        parse_error_ =
                            std::string(xmpp::wire::parse_error_condition(error)) + ": " + detail;
                      },
              }) {}

void XmppConnection::fail(const std::string& what) const {
  throw std::runtime_error(name_ + ": " + (timed_out_ ? "timeout (" + what + ")" : what));
}

asio::awaitable<void> XmppConnection::connect(const std::string& host, std::uint16_t port,
                                              const std::string& source) {
  try {
    asio::ip::tcp::resolver resolver(thread_.io);
    const auto endpoints =
        co_await resolver.async_resolve(host, std::to_string(port), use_awaitable);
    if (source.empty()) {
      co_await asio::async_connect(socket_, endpoints, use_awaitable);
    } else {
      const asio::ip::tcp::endpoint local(asio::ip::make_address(source), 0);
      socket_.open(local.protocol());
      socket_.bind(local);
      co_await socket_.async_connect(endpoints.begin()->endpoint(), use_awaitable);
    }
  } catch (const boost::system::system_error& e) {
    fail("connect to " + host + ":" + std::to_string(port) + ": " + e.code().message());
  }
  socket_.set_option(asio::ip::tcp::no_delay(true));
  socket_.non_blocking(true);  // reads go through read_some after readiness
}

asio::awaitable<void> XmppConnection::write(std::string bytes) {
  try {
    co_await asio::async_write(socket_, asio::buffer(bytes), use_awaitable);
  } catch (const boost::system::system_error& e) {
    fail("write: " + e.code().message());
  }
}

asio::awaitable<void> XmppConnection::send(const XmlElement& stanza) {
  co_await write(stanza.serialize("jabber:client"));
}

asio::awaitable<void> XmppConnection::read_more() {
  for (;;) {
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(asio::buffer(thread_.read_buffer), ec);
    if (!ec) {
      parser_.feed({thread_.read_buffer.data(), n});
      co_return;
    }
    if (ec != asio::error::would_block && ec != asio::error::try_again) {
      fail(ec == asio::error::eof ? "server closed the connection" : "read: " + ec.message());
    }
    try {
      co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, use_awaitable);
    } catch (const boost::system::system_error& e) {
      fail("read: " + e.code().message());
    }
  }
}

asio::awaitable<XmlElement> XmppConnection::next_stanza() {
  while (inbox_.empty()) {
    if (!parse_error_.empty()) fail(parse_error_);
    if (stream_closed_) fail("server closed the stream");
    co_await read_more();
  }
  XmlElement stanza = std::move(inbox_.front());
  inbox_.pop_front();
  if (stanza.name() == "error" && stanza.xmlns() == kStreamNs) {
    fail("stream error: " + stanza.serialize());
  }
  co_return stanza;
}

void XmppConnection::arm_deadline(std::chrono::milliseconds timeout) {
  deadline_.expires_after(timeout);
  deadline_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    self->timed_out_ = true;
    boost::system::error_code ignored;
    self->socket_.close(ignored);
  });
}

void XmppConnection::disarm_deadline() {
  deadline_.cancel();
}

void XmppConnection::start_reading(StanzaHandler on_stanza, CloseHandler on_close) {
  on_stanza_ = std::move(on_stanza);
  on_close_ = std::move(on_close);
  while (!inbox_.empty() && on_stanza_) {
    XmlElement stanza = std::move(inbox_.front());
    inbox_.pop_front();
    on_stanza_(std::move(stanza));
  }
  wait_readable();
}

void XmppConnection::stop_reading() {
  on_stanza_ = nullptr;
  on_close_ = nullptr;
}

void XmppConnection::wait_readable() {
  if (closed_) return;
  socket_.async_wait(
      asio::ip::tcp::socket::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void XmppConnection::on_readable(const boost::system::error_code& ec) {
  if (closed_) return;
  if (ec) return end("read: " + ec.message());
  for (int i = 0; i < kReadsPerWakeup; ++i) {
    boost::system::error_code read_ec;
    const std::size_t n = socket_.read_some(asio::buffer(thread_.read_buffer), read_ec);
    if (read_ec == asio::error::would_block || read_ec == asio::error::try_again) break;
    if (read_ec) {
      return end(read_ec == asio::error::eof ? "server closed the connection"
                                             : "read: " + read_ec.message());
    }
    if (!parser_.feed({thread_.read_buffer.data(), n})) return end(parse_error_);
    if (closed_) return;  // a stanza handler closed us
    if (stream_closed_) return end("server closed the stream");
    if (n < thread_.read_buffer.size()) break;
  }
  wait_readable();
}

void XmppConnection::flush() {
  if (writing_ || out_.empty() || closed_) return;
  std::swap(out_, in_flight_);  // both keep their capacity: no allocation once warmed up
  writing_ = true;
  asio::async_write(socket_, asio::buffer(in_flight_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->writing_ = false;
                      self->in_flight_.clear();
                      if (ec) return self->end("write: " + ec.message());
                      self->flush();
                    });
}

void XmppConnection::end(const std::string& reason) {
  if (closed_) return;
  close();
  if (on_close_) on_close_(name_ + ": " + reason);
}

void XmppConnection::close() {
  closed_ = true;
  deadline_.cancel();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace parley::bench
