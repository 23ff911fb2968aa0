#pragma once
// Private to the SIP services: the shared state behind SipServices, kept alive by every
// posted handler and weakly referenced by the account endpoints.
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "adapters/sip/services/invite_service.hpp"
#include "adapters/sip/services/message_service.hpp"
#include "adapters/sip/services/publish_service.hpp"
#include "adapters/sip/services/registrar.hpp"
#include "adapters/sip/services/services_context.hpp"
#include "adapters/sip/services/subscribe_service.hpp"

namespace parley::sip {

class SipServicesImpl : public std::enable_shared_from_this<SipServicesImpl> {
 public:
  SipServicesImpl(SipServicesConfig config, api::Core& core, CredentialLookup& credentials,
                  boost::asio::any_io_executor executor, Clock clock);

  void dispatch(const std::shared_ptr<ServerTransaction>& transaction);  // on the strand
  void on_delivery(const model::Address& full, api::Delivery delivery);  // on the strand
  void flow_closed(const Flow& flow);
  void sweep();
  void schedule_sweep();
  void stop();

  ServicesContext ctx;
  Registrar registrar{ctx};
  MessageService messages{ctx};
  PublishService publish{ctx};
  SubscribeService subscribe{ctx};
  InviteService invite{ctx};
  boost::asio::steady_timer timer;
  std::atomic<std::size_t> pending{0};  // requests posted, not yet dispatched
  std::atomic<std::size_t> account_count{0};
  bool stopped = false;

 private:
  void options(ServerTransaction& transaction);
  void close_account(SipAccount& account);
};

}  // namespace parley::sip
