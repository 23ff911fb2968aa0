#include "bench/bench_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <stdexcept>

#include "bench/scram_sha1.hpp"

namespace parley::bench {
namespace {

namespace asio = boost::asio;
using asio::use_awaitable;
using xmpp::wire::XmlElement;

constexpr std::string_view kSaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";
constexpr std::string_view kBindNs = "urn:ietf:params:xml:ns:xmpp-bind";
constexpr std::string_view kStreamNs = "http://etherx.jabber.org/streams";
constexpr std::string_view kMucNs = "http://jabber.org/protocol/muc";
constexpr std::string_view kMucUserNs = "http://jabber.org/protocol/muc#user";

// XEP-0045 §7.2.3: the self-presence carries <status code='110'/>.
bool is_self_presence(const XmlElement& stanza) {
  const XmlElement* x = stanza.child("x", kMucUserNs);
  if (!x) return false;
  for (const XmlElement* status : x->children("status", kMucUserNs)) {
    if (status->attr_or("code") == "110") return true;
  }
  return false;
}

}  // namespace

BenchClient::BenchClient(asio::io_context& io, ClientSettings settings)
    : settings_(std::move(settings)),
      socket_(io),
      parser_(xmpp::wire::ParserLimits{.max_stanza_bytes = 1024 * 1024},
              xmpp::wire::StreamParser::Callbacks{
                  .on_stream_open = [](const xmpp::wire::StreamHeader&) {},
                  .on_stanza =
                      [this](XmlElement&& stanza) {
                        if (handler_) {
                          handler_(stanza);
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

asio::awaitable<void> BenchClient::connect_and_join() {
  asio::ip::tcp::resolver resolver(socket_.get_executor());
  const auto endpoints = co_await resolver.async_resolve(
      settings_.host, std::to_string(settings_.port), use_awaitable);
  co_await asio::async_connect(socket_, endpoints, use_awaitable);
  socket_.set_option(asio::ip::tcp::no_delay(true));
  co_await open_stream();
  co_await authenticate();
  // RFC 6120 §6.4.6: after SASL success both sides restart the stream; the server sends
  // nothing more on the old one, so resetting between chunks loses no bytes.
  parser_.reset();
  co_await open_stream();
  co_await bind_and_join();
}

asio::awaitable<void> BenchClient::open_stream() {
  xmpp::wire::StreamHeader header;
  header.to = settings_.domain;
  header.version = "1.0";
  co_await write_raw(xmpp::wire::serialize_stream_header(header));
  for (;;) {
    XmlElement stanza = co_await next_stanza();
    if (stanza.name() == "features" && stanza.xmlns() == kStreamNs) co_return;
  }
}

asio::awaitable<void> BenchClient::authenticate() {
  ScramSha1Client scram(settings_.user, settings_.password);
  XmlElement auth("auth", std::string(kSaslNs));
  auth.set_attr("mechanism", "SCRAM-SHA-1");
  auth.add_text(base64_encode(scram.client_first()));
  co_await send(auth);
  for (;;) {
    XmlElement stanza = co_await next_stanza();
    if (stanza.xmlns() != kSaslNs) continue;
    if (stanza.name() == "challenge") {
      const auto decoded = base64_decode(stanza.text());
      if (!decoded) throw std::runtime_error(settings_.user + ": bad SASL challenge");
      XmlElement response("response", std::string(kSaslNs));
      if (decoded->rfind("v=", 0) == 0) {
        // RFC 6120 §6.4.5 allows the additional data in a final challenge: answer empty.
        if (!scram.verify_server_final(*decoded)) {
          throw std::runtime_error(settings_.user + ": server signature mismatch");
        }
      } else {
        const auto final_message = scram.client_final(*decoded);
        if (!final_message) throw std::runtime_error(settings_.user + ": bad server-first");
        response.add_text(base64_encode(*final_message));
      }
      co_await send(response);
    } else if (stanza.name() == "success") {
      const std::string data = stanza.text();
      if (!data.empty() && data != "=") {
        const auto decoded = base64_decode(data);
        if (!decoded || !scram.verify_server_final(*decoded)) {
          throw std::runtime_error(settings_.user + ": server signature mismatch");
        }
      }
      co_return;
    } else if (stanza.name() == "failure") {
      throw std::runtime_error(settings_.user + ": SASL failure: " + stanza.serialize());
    }
  }
}

asio::awaitable<void> BenchClient::bind_and_join() {
  XmlElement iq("iq", "jabber:client");
  iq.set_attr("type", "set");
  iq.set_attr("id", "bind1");
  iq.add_child("bind", std::string(kBindNs)).add_child("resource").add_text("bench");
  co_await send(iq);
  for (;;) {
    XmlElement stanza = co_await next_stanza();
    if (stanza.name() != "iq" || stanza.attr_or("id") != "bind1") continue;
    if (stanza.attr_or("type") != "result") {
      throw std::runtime_error(settings_.user + ": bind failed: " + stanza.serialize());
    }
    break;
  }
  // RFC 6121 §4.2: initial presence, then the join (XEP-0045 §7.2.1) without history.
  co_await send(XmlElement("presence", "jabber:client"));
  const std::string occupant = settings_.room_jid + "/" + settings_.user;
  XmlElement join("presence", "jabber:client");
  join.set_attr("to", occupant);
  join.add_child("x", std::string(kMucNs)).add_child("history").set_attr("maxstanzas", "0");
  co_await send(join);
  for (;;) {
    XmlElement stanza = co_await next_stanza();
    if (stanza.name() != "presence" || stanza.attr_or("from") != occupant) continue;
    if (stanza.attr_or("type") == "error") {
      throw std::runtime_error(settings_.user + ": join failed: " + stanza.serialize());
    }
    if (is_self_presence(stanza)) co_return;
  }
}

asio::awaitable<void> BenchClient::read_loop(StanzaHandler handler) {
  handler_ = std::move(handler);
  // Stanzas that arrived with the self-presence's chunk come first.
  while (!inbox_.empty()) {
    XmlElement stanza = std::move(inbox_.front());
    inbox_.pop_front();
    handler_(stanza);
  }
  for (;;) {
    boost::system::error_code ec;
    const std::size_t n = co_await socket_.async_read_some(asio::buffer(buffer_),
                                                           asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    if (!parser_.feed({buffer_.data(), n}) || stream_closed_) break;
  }
  closed_ = true;
}

asio::awaitable<XmlElement> BenchClient::next_stanza() {
  while (inbox_.empty()) {
    if (!parse_error_.empty()) throw std::runtime_error(settings_.user + ": " + parse_error_);
    if (stream_closed_) throw std::runtime_error(settings_.user + ": server closed the stream");
    const std::size_t n = co_await socket_.async_read_some(asio::buffer(buffer_), use_awaitable);
    parser_.feed({buffer_.data(), n});
  }
  XmlElement stanza = std::move(inbox_.front());
  inbox_.pop_front();
  if (stanza.name() == "error" && stanza.xmlns() == kStreamNs) {
    throw std::runtime_error(settings_.user + ": stream error: " + stanza.serialize());
  }
  co_return stanza;
}

asio::awaitable<void> BenchClient::send(const XmlElement& stanza) {
  co_await write_raw(stanza.serialize("jabber:client"));
}

asio::awaitable<void> BenchClient::write_raw(std::string bytes) {
  co_await asio::async_write(socket_, asio::buffer(bytes), use_awaitable);
}

void BenchClient::close() {
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  closed_ = true;
}

}  // namespace parley::bench
