#pragma once
// SipServer: the SIP stack as gateway/app sees it — UDP, TCP and TLS listeners, the
// connections they accept, and the transaction layer (RFC 3261 §17) between them and the SIP
// services (a RequestHandler). It implements SipStack for the services' outgoing requests.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <memory>

#include "adapters/sip/sip_config.hpp"
#include "adapters/sip/sip_stack.hpp"
#include "adapters/sip/stream_connection.hpp"

namespace parley::sip {

class SipServer final : public SipStack {
 public:
  // `io`, `tls` and `handler` must outlive the server. `handler` is not called before start(),
  // so it may be an object built after the server that keeps a SipStack& to it.
  SipServer(boost::asio::io_context& io, SipConfig config, boost::asio::ssl::context& tls,
            RequestHandler& handler);
  ~SipServer() override;
  SipServer(const SipServer&) = delete;
  SipServer& operator=(const SipServer&) = delete;

  // Binds and starts the enabled listeners. Throws std::runtime_error naming the listener,
  // address and port when one cannot be bound (e.g. "sip.udp: 127.0.0.1:5060: address in use").
  void start();
  // Before start(): TCP and TLS connections read nothing while `busy` answers true (see
  // ReadGate in stream_connection.hpp). UDP has no flow control; the services answer 503.
  void hold_reads_while(ReadGate busy);
  // Actual ports (useful when the configured port is 0); 0 when disabled or not started.
  std::uint16_t udp_port() const;
  std::uint16_t tcp_port() const;
  std::uint16_t tls_port() const;

  // Stops accepting and receiving, closes every connection, ends every transaction (client
  // transactions complete with 503), then calls `done` on an io thread.
  void stop(std::function<void()> done);

  std::size_t connection_count() const;
  std::size_t transaction_count() const;

  // SipStack
  void send_request(SipMessage request, const Flow& flow,
                    std::function<void(ClientOutcome)> done) override;
  SipUri local_uri(const Flow& flow) const override;
  std::string new_token() override;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace parley::sip
