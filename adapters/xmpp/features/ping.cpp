// XEP-0199 XMPP ping: the server (or the account, answered by the server) is alive.
#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"

namespace parley::xmpp::features {

IqHandler make_ping_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const IqTarget target = classify_target(session, iq);
    // XEP-0199 §4.2 (client-to-server); a ping to the own bare address is answered by the
    // server on the account's behalf (RFC 6120 §10.3.3). Other accounts are not ours.
    if (!is_server(target) && target.kind != TargetKind::self) {
      reply_target_error(session, iq, target);
      return;
    }
    if (iq_type(iq) != IqType::get) {
      reply_error(session, iq, model::ErrorCondition::bad_request);
      return;
    }
    session.send(make_result(session, iq));
  };
}

}  // namespace parley::xmpp::features
