// XmppServer: the two listeners (c2s with STARTTLS, XEP-0368 direct TLS) and the sessions
// they accept; stop() is cancellation with a bounded, app-driven wait.
#include "adapters/xmpp/xmpp_server.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>

#include "adapters/xmpp/server_context.hpp"
#include "adapters/xmpp/xmpp_session.hpp"
#include "gateway/log/log.hpp"

namespace parley::xmpp {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct XmppServer::Impl : std::enable_shared_from_this<XmppServer::Impl> {
  struct Listener {
    Listener(asio::strand<asio::io_context::executor_type>& strand, std::string listener_name,
             Transport listener_transport)
        : name(std::move(listener_name)),
          transport(listener_transport),
          acceptor(strand),
          retry_timer(strand) {}
    std::string name;
    Transport transport;
    tcp::acceptor acceptor;
    asio::steady_timer retry_timer;  // after accept errors such as EMFILE
    std::atomic<std::uint16_t> port{0};
  };

  Impl(asio::io_context& io, XmppConfig config, asio::ssl::context& tls, api::Core& core,
       api::StoreExecutor& store, api::CpuWork& cpu_work, api::Rooms& rooms,
       api::MessageArchive& archive)
      : context(std::make_shared<ServerContext>(io, std::move(config), tls, core, store, cpu_work,
                                                rooms, archive)),
        strand(asio::make_strand(io)),
        c2s(strand, "xmpp.c2s", Transport::starttls),
        direct_tls(strand, "xmpp.direct_tls", Transport::direct_tls) {}

  void listen(Listener& listener, const ListenerConfig& config) {
    try {
      tcp::endpoint endpoint(asio::ip::make_address(config.address), config.port);
      listener.acceptor.open(endpoint.protocol());
      listener.acceptor.set_option(tcp::acceptor::reuse_address(true));
      listener.acceptor.bind(endpoint);
      listener.acceptor.listen(asio::socket_base::max_listen_connections);
      listener.port = listener.acceptor.local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      error_code ignored;
      listener.acceptor.close(ignored);
      throw std::runtime_error(listener.name + ": " + config.address + ":" +
                               std::to_string(config.port) + ": " + e.code().message());
    }
    PARLEY_LOG_INFO("xmpp", "", "listening",
                    {{"listener", listener.name},
                     {"address", config.address},
                     {"port", std::to_string(listener.port.load())}});
    accept(listener);
  }

  void accept(Listener& listener) {
    // Each connection gets its own strand: the socket's executor is the session's strand.
    listener.acceptor.async_accept(
        asio::make_strand(context->io),
        [self = shared_from_this(), &listener](const error_code& ec, tcp::socket socket) {
          self->on_accept(listener, ec, std::move(socket));
        });
  }

  void on_accept(Listener& listener, const error_code& ec, tcp::socket socket) {
    if (stopping || ec == asio::error::operation_aborted || !listener.acceptor.is_open()) return;
    if (ec) {
      PARLEY_LOG_WARN("xmpp", "", "accept_error",
                      {{"listener", listener.name}, {"error", ec.message()}});
      listener.retry_timer.expires_after(std::chrono::milliseconds(100));
      listener.retry_timer.async_wait([self = shared_from_this(), &listener](const error_code& e) {
        if (!e && !self->stopping) self->accept(listener);
      });
      return;
    }
    auto session = std::make_shared<XmppSession>(context, std::move(socket), listener.transport);
    context->sessions.add(session);
    session->start();
    accept(listener);
  }

  void close_listeners() {
    error_code ignored;
    c2s.acceptor.close(ignored);
    direct_tls.acceptor.close(ignored);
    c2s.retry_timer.cancel();
    direct_tls.retry_timer.cancel();
  }

  std::shared_ptr<ServerContext> context;
  asio::strand<asio::io_context::executor_type> strand;
  Listener c2s;
  Listener direct_tls;
  std::atomic<bool> stopping{false};
};

XmppServer::XmppServer(asio::io_context& io, XmppConfig config, asio::ssl::context& tls,
                       api::Core& core, api::StoreExecutor& store, api::CpuWork& cpu_work,
                       api::Rooms& rooms, api::MessageArchive& archive)
    : impl_(std::make_shared<Impl>(io, std::move(config), tls, core, store, cpu_work, rooms,
                                   archive)) {}

XmppServer::~XmppServer() {
  // The accept loops hold the Impl; closing the acceptors (on their strand) ends them.
  asio::post(impl_->strand, [impl = impl_] {
    impl->stopping = true;
    impl->close_listeners();
  });
}

void XmppServer::start() {
  const auto& config = impl_->context->config;
  if (config.c2s.enabled) impl_->listen(impl_->c2s, config.c2s);
  if (config.direct_tls.enabled) {
    try {
      impl_->listen(impl_->direct_tls, config.direct_tls);
    } catch (...) {
      error_code ignored;
      impl_->c2s.acceptor.close(ignored);
      throw;
    }
  }
}

std::uint16_t XmppServer::c2s_port() const {
  return impl_->c2s.port;
}
std::uint16_t XmppServer::direct_tls_port() const {
  return impl_->direct_tls.port;
}

void XmppServer::stop(std::function<void()> done) {
  asio::post(impl_->strand, [impl = impl_, done = std::move(done)]() mutable {
    impl->stopping = true;
    impl->close_listeners();
    auto& io = impl->context->io;
    PARLEY_LOG_INFO("xmpp", "", "stopping",
                    {{"sessions", std::to_string(impl->context->sessions.size())}});
    // `done` runs on an io thread, never inside a session's own cleanup.
    impl->context->sessions.when_empty([&io, done = std::move(done)]() mutable {
      asio::post(io, [done = std::move(done)] {
        if (done) done();
      });
    });
    for (auto& session : impl->context->sessions.snapshot()) {
      session->request_close(api::CloseReason::shutdown);
    }
  });
}

std::size_t XmppServer::session_count() const {
  return impl_->context->sessions.size();
}

std::size_t XmppServer::resting_parser_count() const {
  return impl_->context->resting_parsers.load(std::memory_order_relaxed);
}

}  // namespace parley::xmpp
