// XEP-0092 software version of the server. The operating system is not disclosed (§5: it
// helps attackers more than users).
#include <string>
#include <utility>

#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/features/namespaces.hpp"

// Set by the build from the CMake project version; the fallback keeps stand-alone builds going.
#ifndef PARLEY_VERSION
#define PARLEY_VERSION "0.1.0"
#endif

namespace parley::xmpp::features {

IqHandler make_version_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const IqTarget target = classify_target(session, iq);
    if (!is_server(target)) {
      reply_target_error(session, iq, target);
      return;
    }
    if (iq_type(iq) != IqType::get) {
      reply_error(session, iq, model::ErrorCondition::bad_request);
      return;
    }
    wire::XmlElement result = make_result(session, iq);
    wire::XmlElement& query = result.add_child("query", std::string(ns::kVersion));
    query.add_child("name").set_text("Parley");
    query.add_child("version").set_text(PARLEY_VERSION);
    session.send(std::move(result));
  };
}

}  // namespace parley::xmpp::features
