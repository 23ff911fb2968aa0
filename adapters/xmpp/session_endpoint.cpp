#include "adapters/xmpp/session_endpoint.hpp"

#include "adapters/xmpp/xmpp_session.hpp"

namespace parley::xmpp {

void SessionEndpoint::deliver(api::Delivery delivery) {
  std::shared_ptr<XmppSession> session;
  {
    std::lock_guard lock(mutex_);
    session = session_.lock();
  }
  if (session) session->post_delivery(std::move(delivery));
}

void SessionEndpoint::retarget(std::weak_ptr<XmppSession> session) {
  std::lock_guard lock(mutex_);
  session_ = std::move(session);
}

}  // namespace parley::xmpp
