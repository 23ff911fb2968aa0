#pragma once
// SipServices: the SIP adapter's application layer on top of the stack (sip_stack.hpp) — the
// registrar, MESSAGE, presence (PUBLISH, SUBSCRIBE/NOTIFY), INVITE IM sessions and OPTIONS —
// and each SIP account's core endpoint. It is the stack's RequestHandler.
//
// Threading: everything runs on one strand of the io pool; on_request / on_flow_closed /
// Endpoint::deliver only post there (and answer 503 + Retry-After at once when too many
// requests are already waiting, RFC 3261 §21.5.4). A periodic sweep (1 s) expires bindings,
// publications, subscriptions and dialogs.
//
// Wiring (gateway/app/daemon.cpp): build SipServices, then the SipServer with it as handler,
// attach(server), start(); on shutdown stop() before the server stops.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <memory>

#include "adapters/sip/services/credential_lookup.hpp"
#include "adapters/sip/services/services_config.hpp"
#include "adapters/sip/sip_stack.hpp"
#include "gateway/api/core.hpp"
#include "gateway/api/message_archive.hpp"

namespace parley::sip {

class SipServicesImpl;

class SipServices final : public RequestHandler {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `core` and `credentials` must outlive the services.
  SipServices(boost::asio::any_io_executor executor, SipServicesConfig config, api::Core& core,
              CredentialLookup& credentials, Clock clock = {});
  ~SipServices() override;
  SipServices(const SipServices&) = delete;
  SipServices& operator=(const SipServices&) = delete;

  // The stack used for outgoing requests; before start(), and it must outlive stop().
  void attach(SipStack& stack);
  // The message archive whose backlog MESSAGE requests respect (optional; before start(), and
  // it must outlive the services): while it is backlogged() a MESSAGE is answered 503 with
  // Retry-After instead of being routed, since a datagram cannot be left unread the way an
  // XMPP session leaves its socket, and a routed one would be missing from the archives.
  void attach_archive(const api::MessageArchive& archive);
  void start();  // the sweep timer
  // Unbinds every account endpoint (the core broadcasts unavailable), ends subscriptions with
  // reason=deactivated, cancels the timer; `done` runs when that is finished.
  void stop(std::function<void()> done);

  // RequestHandler
  void on_request(std::shared_ptr<ServerTransaction> transaction) override;
  void on_flow_closed(const Flow& flow) override;

  // For tests: one expiry pass now (on the strand).
  void sweep();
  std::size_t account_count() const;  // on any thread; approximate

 private:
  std::shared_ptr<SipServicesImpl> impl_;
};

}  // namespace parley::sip
