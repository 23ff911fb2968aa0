#pragma once
// SessionEndpoint: what an XMPP session registers with the core (api::Endpoint). It only holds
// a weak reference to its session and posts every delivery onto the session's strand. On
// XEP-0198 resumption the endpoint stays bound in the core and is re-targeted to the new
// connection's session, so the core never notices the reconnect.
#include <memory>
#include <mutex>

#include "gateway/api/endpoint.hpp"

namespace parley::xmpp {

class XmppSession;

class SessionEndpoint final : public api::Endpoint {
 public:
  explicit SessionEndpoint(std::weak_ptr<XmppSession> session) : session_(std::move(session)) {}

  // Any thread: posts to the target session's strand; dropped when the session is gone.
  void deliver(api::Delivery delivery) override;
  void retarget(std::weak_ptr<XmppSession> session);

 private:
  std::mutex mutex_;
  std::weak_ptr<XmppSession> session_;
};

}  // namespace parley::xmpp
