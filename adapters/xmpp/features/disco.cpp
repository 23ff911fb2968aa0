// XEP-0030 service discovery for the server and for accounts' bare addresses.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/features/namespaces.hpp"

namespace parley::xmpp::features {

namespace {

using model::ErrorCondition;

struct DiscoInfo {
  std::vector<std::string> server_features;
  std::vector<std::string> account_features;
};

// XEP-0030 §3.1 (and XEP-0115 §5.1): each feature var once; sorted for stable answers.
std::vector<std::string> normalized(std::vector<std::string> features) {
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  return features;
}

enum class Subject { server, account };

// What the query is about: the server (no 'to' or a served domain) or an account's bare address
// (own, or another existing one). Replies with the error and returns nullopt otherwise.
std::optional<Subject> resolve_subject(SessionContext& session, const wire::XmlElement& iq,
                                       const wire::XmlElement* query) {
  if (iq_type(iq) != IqType::get || query == nullptr || query->name() != "query") {
    reply_error(session, iq, ErrorCondition::bad_request);
    return std::nullopt;
  }
  const IqTarget target = classify_target(session, iq);
  // No 'to' is answered as the server: clients that omit it mean the service they talk to.
  if (is_server(target)) {
    // XEP-0030 §3.1 / §7: we publish no nodes, so any node is unknown.
    if (!query->attr_or("node").empty()) {
      reply_error(session, iq, ErrorCondition::item_not_found);
      return std::nullopt;
    }
    return Subject::server;
  }
  // Another account is answered whether or not the requester is subscribed to it: inside one
  // enterprise directory, the existence of an account is not a secret.
  if (target.kind == TargetKind::self ||
      (target.kind == TargetKind::other_account && session.core().account_exists(target.address))) {
    if (!query->attr_or("node").empty()) {
      reply_error(session, iq, ErrorCondition::item_not_found);
      return std::nullopt;
    }
    return Subject::account;
  }
  // XEP-0030 §7: the JID of the target entity does not exist.
  if (target.kind == TargetKind::other_account) {
    reply_error(session, iq, ErrorCondition::item_not_found);
    return std::nullopt;
  }
  reply_target_error(session, iq, target);
  return std::nullopt;
}

}  // namespace

IqHandler make_disco_info_handler(std::vector<std::string> server_features,
                                  std::vector<std::string> account_features) {
  auto info = std::make_shared<const DiscoInfo>(
      DiscoInfo{normalized(std::move(server_features)), normalized(std::move(account_features))});
  return [info](SessionContext& session, const wire::XmlElement& iq) {
    const wire::XmlElement* query = iq_payload(iq);
    const auto subject = resolve_subject(session, iq, query);
    if (!subject) return;
    wire::XmlElement result = make_result(session, iq);
    wire::XmlElement& out = result.add_child("query", std::string(ns::kDiscoInfo));
    wire::XmlElement& identity = out.add_child("identity");
    // XEP-0030 §3.1 with the Disco Categories registry: server/im for an IM server,
    // account/registered for a registered account's bare JID.
    if (*subject == Subject::server) {
      identity.set_attr("category", "server");
      identity.set_attr("type", "im");
      identity.set_attr("name", "Parley");
    } else {
      identity.set_attr("category", "account");
      identity.set_attr("type", "registered");
    }
    const auto& features =
        *subject == Subject::server ? info->server_features : info->account_features;
    for (const auto& feature : features) out.add_child("feature").set_attr("var", feature);
    session.send(std::move(result));
  };
}

IqHandler make_disco_items_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const auto subject = resolve_subject(session, iq, iq_payload(iq));
    if (!subject) return;
    // XEP-0030 §4.1: no items yet (the rooms service will be listed here).
    wire::XmlElement result = make_result(session, iq);
    result.add_child("query", std::string(ns::kDiscoItems));
    session.send(std::move(result));
  };
}

}  // namespace parley::xmpp::features
