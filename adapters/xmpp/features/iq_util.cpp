#include "adapters/xmpp/features/iq_util.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "adapters/xmpp/features/namespaces.hpp"

namespace parley::xmpp::features {

std::optional<IqType> iq_type(const wire::XmlElement& iq) {
  const auto type = iq.attr("type");
  if (type == "get") return IqType::get;
  if (type == "set") return IqType::set;
  return std::nullopt;
}

const wire::XmlElement* iq_payload(const wire::XmlElement& iq) {
  const auto children = iq.element_children();
  return children.empty() ? nullptr : children.front();
}

wire::XmlElement make_result(const SessionContext& session, const wire::XmlElement& iq) {
  wire::XmlElement result("iq", iq.xmlns().empty() ? std::string(ns::kClient) : iq.xmlns());
  result.set_attr("type", "result");
  if (const auto id = iq.attr("id")) result.set_attr("id", std::string(*id));
  if (const auto to = iq.attr("to"); to && !to->empty()) result.set_attr("from", std::string(*to));
  if (const auto from = iq.attr("from"); from && !from->empty()) {
    result.set_attr("to", std::string(*from));
  } else if (!session.full_address().empty()) {
    result.set_attr("to", session.full_address().to_string());
  }
  return result;
}

namespace {

bool is_served_domain(const SessionContext& session, const std::string& domain) {
  if (domain == session.domain()) return true;
  const auto& domains = session.config().domains;
  return std::find(domains.begin(), domains.end(), domain) != domains.end();
}

}  // namespace

IqTarget classify_target(const SessionContext& session, const wire::XmlElement& iq) {
  const auto to = iq.attr("to");
  if (!to || to->empty()) return {TargetKind::unaddressed, {}};
  auto parsed = model::Address::parse(*to);
  if (!parsed) return {TargetKind::invalid, {}};
  model::Address address = std::move(parsed).value();
  if (address.is_full() || !is_served_domain(session, address.domain())) {
    return {TargetKind::foreign, std::move(address)};
  }
  if (address.local().empty()) return {TargetKind::server, std::move(address)};
  if (!session.user().empty() && address == session.user().bare()) {
    return {TargetKind::self, std::move(address)};
  }
  return {TargetKind::other_account, std::move(address)};
}

void reply_error(SessionContext& session, const wire::XmlElement& iq,
                 model::ErrorCondition condition, std::string text) {
  session.send_error(iq, model::StanzaError::make(condition, std::move(text)));
}

void reply_target_error(SessionContext& session, const wire::XmlElement& iq, const IqTarget& target,
                        model::ErrorCondition otherwise) {
  if (target.kind == TargetKind::invalid) {
    // RFC 6120 §8.3.3.8
    reply_error(session, iq, model::ErrorCondition::jid_malformed);
    return;
  }
  reply_error(session, iq, otherwise);
}

}  // namespace parley::xmpp::features
