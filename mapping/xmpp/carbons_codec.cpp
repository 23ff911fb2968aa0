#include "mapping/xmpp/carbons_codec.hpp"

#include <algorithm>
#include <string>

#include "mapping/xmpp/namespaces.hpp"

namespace parley::mapping::xmpp {

wire::XmlElement carbon_wrap(const wire::XmlElement& inner, api::CopyKind kind,
                             const model::Address& recipient) {
  if (kind == api::CopyKind::none) return inner;
  wire::XmlElement outer("message", std::string(ns::kClient));
  // XEP-0280 §6/§7: the wrapper comes from the account (bare) to the receiving resource.
  outer.set_attr("from", recipient.bare_string());
  outer.set_attr("to", recipient.to_string());
  if (auto type = inner.attr("type")) outer.set_attr("type", std::string(*type));
  auto& wrapper = outer.add_child(kind == api::CopyKind::received ? "received" : "sent",
                                  std::string(ns::kCarbons));
  auto& forwarded = wrapper.add_child("forwarded", std::string(ns::kForward));
  wire::XmlElement copy = inner;
  // XEP-0297 §3: the forwarded stanza keeps its own (jabber:client) namespace.
  if (copy.xmlns().empty()) copy.set_xmlns(std::string(ns::kClient));
  forwarded.add_child(std::move(copy));
  return outer;
}

bool carbon_eligible(const model::Message& message) {
  auto has = [&](std::string_view xmlns, std::string_view name) {
    return std::any_of(message.extensions.begin(), message.extensions.end(),
                       [&](const model::ForeignPayload& p) {
                         return p.origin == model::Protocol::xmpp && p.ns == xmlns &&
                                (name.empty() || p.name == name);
                       });
  };
  // XEP-0280 §6.1 (opt-out) and XEP-0334 §4.
  if (has(ns::kCarbons, "private") || has(ns::kHints, "no-copy")) return false;
  switch (message.type) {
    case model::MessageType::chat:
      return true;
    case model::MessageType::normal:
      // §6.1: normal messages with a body, or with IM payloads (chat states, receipts,
      // chat markers).
      return !message.body.empty() || has("http://jabber.org/protocol/chatstates", {}) ||
             has("urn:xmpp:receipts", {}) || has("urn:xmpp:chat-markers:0", {});
    default:
      return false;
  }
}

}  // namespace parley::mapping::xmpp
