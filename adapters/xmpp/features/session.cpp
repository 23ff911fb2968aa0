// RFC 3921 §3 session establishment. RFC 6121 Appendix E made it a no-op: the session exists
// once the resource is bound. Old clients still send it (the session offers it as optional),
// so it is answered with a result.
#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"

namespace parley::xmpp::features {

IqHandler make_session_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const IqTarget target = classify_target(session, iq);
    if (!is_server(target) && target.kind != TargetKind::self) {
      reply_target_error(session, iq, target);
      return;
    }
    if (iq_type(iq) != IqType::set) {
      reply_error(session, iq, model::ErrorCondition::bad_request);
      return;
    }
    session.send(make_result(session, iq));
  };
}

}  // namespace parley::xmpp::features
