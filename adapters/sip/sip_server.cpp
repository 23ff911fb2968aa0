// SipServer: UDP socket, TCP and TLS acceptors, the connection table and the transaction layer,
// all driven from one strand; connections run on their own strands and post into it.
#include "adapters/sip/sip_server.hpp"

#include <openssl/rand.h>

#include <array>
#include <atomic>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <stdexcept>
#include <unordered_map>

#include "adapters/sip/request_checks.hpp"
#include "adapters/sip/stream_connection.hpp"
#include "adapters/sip/transaction_layer.hpp"
#include "adapters/sip/wire/error_response.hpp"
#include "gateway/log/log.hpp"

namespace parley::sip {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;

struct SipServer::Impl final : StreamSink,
                               TransportSender,
                               std::enable_shared_from_this<SipServer::Impl> {
  struct Acceptor {
    Acceptor(Strand& strand, std::string acceptor_name, Transport acceptor_transport)
        : name(std::move(acceptor_name)),
          transport(acceptor_transport),
          acceptor(strand),
          retry_timer(strand) {}
    std::string name;
    Transport transport;
    tcp::acceptor acceptor;
    asio::steady_timer retry_timer;  // after accept errors such as EMFILE
    std::atomic<std::uint16_t> port{0};
  };

  Impl(asio::io_context& io_context, SipConfig sip_config, asio::ssl::context& tls_context,
       RequestHandler& request_handler)
      : io(io_context),
        config(std::move(sip_config)),
        tls(tls_context),
        handler(request_handler),
        strand(asio::make_strand(io_context)),
        udp_socket(strand),
        tcp_listener(strand, "sip.tcp", Transport::tcp),
        tls_listener(strand, "sip.tls", Transport::tls) {}

  void init_layer() {
    layer = std::make_shared<TransactionLayer>(strand, config, *this, handler,
                                               [] { return random_token(); });
  }

  static std::string random_token() {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    std::string out;
    for (unsigned char b : bytes) out.push_back(kAlphabet[b % 36]);
    return out;
  }

  // ---- listeners ----
  void listen_udp() {
    const auto& c = config.udp;
    try {
      udp::endpoint endpoint(asio::ip::make_address(c.address), c.port);
      udp_socket.open(endpoint.protocol());
      udp_socket.set_option(udp::socket::reuse_address(true));
      udp_socket.bind(endpoint);
      // Sends never block the strand: a full socket buffer drops the datagram, which UDP
      // transactions recover from by retransmission.
      udp_socket.non_blocking(true);
      udp_port = udp_socket.local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      error_code ignored;
      udp_socket.close(ignored);
      throw std::runtime_error("sip.udp: " + c.address + ":" + std::to_string(c.port) + ": " +
                               e.code().message());
    }
    PARLEY_LOG_INFO("sip", "", "listening",
                    {{"listener", "sip.udp"},
                     {"address", c.address},
                     {"port", std::to_string(udp_port.load())}});
    asio::post(strand, [self = shared_from_this()] { self->receive_udp(); });
  }

  void listen_stream(Acceptor& listener, const SipListenerConfig& c) {
    try {
      tcp::endpoint endpoint(asio::ip::make_address(c.address), c.port);
      listener.acceptor.open(endpoint.protocol());
      listener.acceptor.set_option(tcp::acceptor::reuse_address(true));
      listener.acceptor.bind(endpoint);
      listener.acceptor.listen(asio::socket_base::max_listen_connections);
      listener.port = listener.acceptor.local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      error_code ignored;
      listener.acceptor.close(ignored);
      throw std::runtime_error(listener.name + ": " + c.address + ":" + std::to_string(c.port) +
                               ": " + e.code().message());
    }
    PARLEY_LOG_INFO("sip", "", "listening",
                    {{"listener", listener.name},
                     {"address", c.address},
                     {"port", std::to_string(listener.port.load())}});
    asio::post(strand, [self = shared_from_this(), &listener] { self->accept(listener); });
  }

  void accept(Acceptor& listener) {
    listener.acceptor.async_accept(
        asio::make_strand(io),
        [self = shared_from_this(), &listener](const error_code& ec, tcp::socket socket) {
          self->on_accept(listener, ec, std::move(socket));
        });
  }

  void on_accept(Acceptor& listener, const error_code& ec, tcp::socket socket) {
    if (stopping || ec == asio::error::operation_aborted || !listener.acceptor.is_open()) return;
    if (ec) {
      PARLEY_LOG_WARN("sip", "", "accept_error",
                      {{"listener", listener.name}, {"error", ec.message()}});
      listener.retry_timer.expires_after(std::chrono::milliseconds(100));
      listener.retry_timer.async_wait([self = shared_from_this(), &listener](const error_code& e) {
        if (!e && !self->stopping) self->accept(listener);
      });
      return;
    }
    error_code endpoint_error;
    auto remote = socket.remote_endpoint(endpoint_error);
    if (endpoint_error || connections.size() >= config.max_connections) {
      if (!endpoint_error) {
        PARLEY_LOG_WARN("sip", "", "too_many_connections",
                        {{"limit", std::to_string(config.max_connections)}});
      }
      error_code ignored;
      socket.close(ignored);
      accept(listener);
      return;
    }
    Flow flow{listener.transport, remote.address(), remote.port(), next_connection_id++};
    // No Nagle: a response followed by a NOTIFY would otherwise wait for a delayed ACK.
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    StreamOptions options{config.max_message_bytes, config.idle_timeout,
                          config.tls_handshake_timeout, config.outbox_high_watermark, hold_reads};
    auto connection =
        listener.transport == Transport::tls
            ? make_tls_connection(std::move(socket), tls, flow, options, shared_from_this())
            : make_tcp_connection(std::move(socket), flow, options, shared_from_this());
    connections.emplace(flow.connection_id, connection);
    connection_count = connections.size();
    PARLEY_LOG_DEBUG("sip", flow.to_string(), "connected", {});
    connection->start();
    accept(listener);
  }

  // ---- UDP ----
  void receive_udp() {
    udp_socket.async_receive_from(asio::buffer(udp_buffer), udp_sender,
                                  [self = shared_from_this()](const error_code& ec, std::size_t n) {
                                    self->on_datagram(ec, n);
                                  });
  }

  void on_datagram(const error_code& ec, std::size_t n) {
    if (stopping || ec == asio::error::operation_aborted || !udp_socket.is_open()) return;
    // Other errors (e.g. ICMP port unreachable reported for an earlier send) concern a
    // single peer: keep receiving.
    if (!ec) {
      Flow flow{Transport::udp, udp_sender.address(), udp_sender.port(), 0};
      std::string_view data(udp_buffer.data(), n);
      if (data.find_first_not_of("\r\n") == std::string_view::npos) {
        // A CRLF keepalive over UDP (RFC 5626 uses STUN there): nothing to do.
      } else if (n > config.max_message_bytes) {
        // RFC 3261 §21.5.4 / §18.1.1: too large to accept.
        if (auto response =
                make_error_response(data, ParseError{513, std::string(reason_phrase(513))})) {
          send(flow, flow.remote_port, serialize(*response));
        }
      } else {
        handle_message(flow, std::string(data));
      }
    }
    receive_udp();
  }

  // ---- messages from any transport (on the strand) ----
  void handle_message(const Flow& flow, std::string data) {
    if (stopping) return;
    auto parsed = parse_sip(data);
    if (!parsed.ok()) {
      // Answering garbage costs too: a flooding source gets silence once over its rate.
      if (!layer->allow_source(flow.remote_address)) return;
      PARLEY_LOG_INFO(
          "sip", flow.to_string(), "malformed",
          {{"status", std::to_string(parsed.error().status)}, {"reason", parsed.error().reason}});
      // RFC 3261 §21.4.1: say what is wrong; answer to the source (the Via may be the problem).
      if (auto response = make_error_response(data, parsed.error())) {
        send(flow, flow.remote_port, serialize(*response));
      }
      return;
    }
    SipMessage message = std::move(parsed).value();
    if (message.is_request) {
      stamp_top_via(message, flow.remote_address, flow.remote_port);
      layer->on_request(std::move(message), flow);
    } else {
      layer->on_response(std::move(message), flow);
    }
  }

  // StreamSink (called on a connection's strand)
  void on_stream_message(const Flow& flow, std::string data) override {
    asio::post(strand, [self = shared_from_this(), flow, data = std::move(data)]() mutable {
      self->handle_message(flow, std::move(data));
    });
  }

  void on_stream_closed(const Flow& flow) override {
    asio::post(strand, [self = shared_from_this(), flow] {
      self->connections.erase(flow.connection_id);
      self->connection_count = self->connections.size();
      PARLEY_LOG_DEBUG("sip", flow.to_string(), "disconnected", {});
      self->layer->on_flow_closed(flow);
      if (!self->stopping) self->handler.on_flow_closed(flow);
      self->maybe_stopped();
    });
  }

  // TransportSender (on the strand)
  bool send(const Flow& flow, std::uint16_t port, std::string bytes) override {
    if (flow.transport == Transport::udp) {
      if (!udp_socket.is_open()) return false;
      error_code ec;
      udp_socket.send_to(asio::buffer(bytes), udp::endpoint(flow.remote_address, port), 0, ec);
      if (ec) {
        PARLEY_LOG_DEBUG("sip", flow.to_string(), "udp_send_failed", {{"error", ec.message()}});
        return false;
      }
      return true;
    }
    auto it = connections.find(flow.connection_id);
    if (it == connections.end()) return false;
    it->second->send(std::move(bytes));
    return true;
  }

  std::string via_sent_by(const Flow& flow) const override {
    SipUri uri = local_uri(flow);
    return uri.host + ":" + std::to_string(uri.port);
  }

  SipUri local_uri(const Flow& flow) const {
    SipUri uri;
    const SipListenerConfig& c = flow.transport == Transport::udp   ? config.udp
                                 : flow.transport == Transport::tcp ? config.tcp
                                                                    : config.tls;
    uri.port = flow.transport == Transport::udp   ? udp_port.load()
               : flow.transport == Transport::tcp ? tcp_listener.port.load()
                                                  : tls_listener.port.load();
    std::string host = config.advertised_host;
    if (host.empty()) {
      error_code ec;
      auto address = asio::ip::make_address(c.address, ec);
      if (!ec && address.is_unspecified() && !flow.remote_address.is_unspecified()) {
        // A wildcard listener: the local address the peer's packets would come from.
        udp::socket probe(io);
        probe.connect(
            udp::endpoint(flow.remote_address, flow.remote_port == 0 ? 5060 : flow.remote_port),
            ec);
        if (!ec) address = probe.local_endpoint(ec).address();
      }
      host = address.to_string();
      if (!ec && address.is_v6()) host = "[" + host + "]";
    }
    uri.host = host;
    if (flow.transport == Transport::tcp) uri.params.emplace_back("transport", "tcp");
    if (flow.transport == Transport::tls) uri.params.emplace_back("transport", "tls");
    return uri;
  }

  // ---- shutdown ----
  void close_everything() {
    stopping = true;
    error_code ignored;
    udp_socket.close(ignored);
    tcp_listener.acceptor.close(ignored);
    tls_listener.acceptor.close(ignored);
    tcp_listener.retry_timer.cancel();
    tls_listener.retry_timer.cancel();
    layer->stop();
    for (auto& [id, connection] : connections) connection->close();
  }

  void maybe_stopped() {
    if (stopping && connections.empty() && stop_done) {
      asio::post(io, std::move(stop_done));
      stop_done = nullptr;
    }
  }

  asio::io_context& io;
  const SipConfig config;
  asio::ssl::context& tls;
  RequestHandler& handler;
  Strand strand;
  udp::socket udp_socket;
  Acceptor tcp_listener;
  Acceptor tls_listener;
  std::atomic<std::uint16_t> udp_port{0};
  std::array<char, 65536> udp_buffer{};
  udp::endpoint udp_sender;
  std::unordered_map<std::uint64_t, std::shared_ptr<StreamConnection>> connections;
  std::uint64_t next_connection_id = 1;
  ReadGate hold_reads;  // set before start(), read on the acceptor's strand
  std::shared_ptr<TransactionLayer> layer;
  bool stopping = false;
  std::function<void()> stop_done;
  std::atomic<std::size_t> connection_count{0};
};

SipServer::SipServer(asio::io_context& io, SipConfig config, asio::ssl::context& tls,
                     RequestHandler& handler)
    : impl_(std::make_shared<Impl>(io, std::move(config), tls, handler)) {
  impl_->init_layer();
}

SipServer::~SipServer() {
  asio::post(impl_->strand, [impl = impl_] {
    if (!impl->stopping) impl->close_everything();
  });
}

void SipServer::hold_reads_while(ReadGate busy) {
  impl_->hold_reads = std::move(busy);
}

void SipServer::start() {
  const auto& config = impl_->config;
  try {
    if (config.udp.enabled) impl_->listen_udp();
    if (config.tcp.enabled) impl_->listen_stream(impl_->tcp_listener, config.tcp);
    if (config.tls.enabled) impl_->listen_stream(impl_->tls_listener, config.tls);
  } catch (...) {
    error_code ignored;
    impl_->udp_socket.close(ignored);
    impl_->tcp_listener.acceptor.close(ignored);
    impl_->tls_listener.acceptor.close(ignored);
    throw;
  }
}

std::uint16_t SipServer::udp_port() const {
  return impl_->udp_port;
}
std::uint16_t SipServer::tcp_port() const {
  return impl_->tcp_listener.port;
}
std::uint16_t SipServer::tls_port() const {
  return impl_->tls_listener.port;
}

void SipServer::stop(std::function<void()> done) {
  asio::post(impl_->strand, [impl = impl_, done = std::move(done)]() mutable {
    PARLEY_LOG_INFO("sip", "", "stopping",
                    {{"connections", std::to_string(impl->connections.size())}});
    impl->stop_done = done ? std::move(done) : [] {};
    if (!impl->stopping) impl->close_everything();
    impl->maybe_stopped();
  });
}

std::size_t SipServer::connection_count() const {
  return impl_->connection_count;
}
std::size_t SipServer::transaction_count() const {
  return impl_->layer->published_size();
}

void SipServer::send_request(SipMessage request, const Flow& flow,
                             std::function<void(ClientOutcome)> done) {
  asio::post(impl_->strand,
             [impl = impl_, request = std::move(request), flow, done = std::move(done)]() mutable {
               impl->layer->send_request(std::move(request), flow, std::move(done));
             });
}

SipUri SipServer::local_uri(const Flow& flow) const {
  return impl_->local_uri(flow);
}

std::string SipServer::new_token() {
  return Impl::random_token();
}

}  // namespace parley::sip
