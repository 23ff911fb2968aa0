#pragma once
// XmppServer: the XMPP client adapter as gateway/app sees it — the c2s (STARTTLS) and
// direct-TLS (XEP-0368) listeners and every session they accept.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <memory>

#include "adapters/xmpp/xmpp_config.hpp"
#include "gateway/api/core.hpp"
#include "gateway/api/cpu_work.hpp"
#include "gateway/api/message_archive.hpp"
#include "gateway/api/rooms.hpp"
#include "gateway/api/store_executor.hpp"

namespace parley::xmpp {

class XmppServer {
 public:
  // All references must outlive the server. Sessions run on strands of `io`, which the
  // application runs on a pool of threads. `rooms` backs the XEP-0045 service on
  // effective_muc_domain(config); `archive` the XEP-0313 user archives. `cpu_work` runs the
  // key stretching of PLAIN logins, registrations and password changes.
  XmppServer(boost::asio::io_context& io, XmppConfig config, boost::asio::ssl::context& tls,
             api::Core& core, api::StoreExecutor& store, api::CpuWork& cpu_work, api::Rooms& rooms,
             api::MessageArchive& archive);
  ~XmppServer();
  XmppServer(const XmppServer&) = delete;
  XmppServer& operator=(const XmppServer&) = delete;

  // Binds and starts the enabled listeners. Throws std::runtime_error naming the listener,
  // address and port when one cannot be bound (e.g. "xmpp.c2s: 127.0.0.1:5222: address in use").
  void start();
  // Actual ports (useful when the configured port is 0); 0 when disabled.
  std::uint16_t c2s_port() const;
  std::uint16_t direct_tls_port() const;

  // Stops accepting, ends every session with a <system-shutdown/> stream error and a clean
  // </stream:stream>, then calls `done` (on an io thread) once all sessions are gone.
  void stop(std::function<void()> done);
  std::size_t session_count() const;
  // Sessions quiet long enough that their XML parser is freed (xmpp.timeouts.parser_rest_s).
  std::size_t resting_parser_count() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace parley::xmpp
