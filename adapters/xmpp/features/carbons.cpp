// XEP-0280 message carbons: <enable/> / <disable/> switch the endpoint flag the core uses to
// copy messages to this resource.
#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"

namespace parley::xmpp::features {

IqHandler make_carbons_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const IqTarget target = classify_target(session, iq);
    if (!is_server(target) && target.kind != TargetKind::self) {
      reply_target_error(session, iq, target);
      return;
    }
    const wire::XmlElement* command = iq_payload(iq);
    // XEP-0280 §4: only set with <enable/> or <disable/>.
    if (iq_type(iq) != IqType::set || command == nullptr ||
        (command->name() != "enable" && command->name() != "disable") || session.user().empty()) {
      reply_error(session, iq, model::ErrorCondition::bad_request);
      return;
    }
    auto flags = session.flags();
    flags.carbons = command->name() == "enable";
    session.set_flags(flags);
    session.send(make_result(session, iq));
  };
}

}  // namespace parley::xmpp::features
