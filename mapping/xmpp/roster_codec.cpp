#include "mapping/xmpp/roster_codec.hpp"

#include <algorithm>
#include <string>

#include "mapping/xmpp/namespaces.hpp"
#include "mapping/xmpp/stanza_fields.hpp"

namespace parley::mapping::xmpp {

namespace {

using model::SubscriptionState;

model::StanzaError error(model::ErrorCondition condition, std::string text) {
  return model::StanzaError::make(condition, std::move(text));
}

// RFC 6121 §2.1.2.2 + §2.1.2.5: (subscription, ask) -> state. "ask" only adds information to
// none and from (to/both already have the outbound subscription).
SubscriptionState state_of(model::Subscription subscription, bool ask) {
  switch (subscription) {
    case model::Subscription::none:
      return ask ? SubscriptionState::none_pending_out : SubscriptionState::none;
    case model::Subscription::to:
      return SubscriptionState::to;
    case model::Subscription::from:
      return ask ? SubscriptionState::from_pending_out : SubscriptionState::from;
    case model::Subscription::both:
      return SubscriptionState::both;
  }
  return SubscriptionState::none;
}

std::optional<model::Subscription> subscription_from_name(std::string_view name) {
  for (auto s : {model::Subscription::none, model::Subscription::to, model::Subscription::from,
                 model::Subscription::both}) {
    if (model::subscription_name(s) == name) return s;
  }
  return std::nullopt;
}

// The jid attribute of an item: required, valid, bare (RFC 6121 §2.1.2.3).
model::Expected<model::Address, model::StanzaError> item_jid(const wire::XmlElement& item) {
  using Result = model::Expected<model::Address, model::StanzaError>;
  if (!item.attr("jid")) {
    return Result::failure(error(model::ErrorCondition::bad_request, "roster item without jid"));
  }
  auto jid = address_attr(item, "jid");
  if (!jid) return jid;
  if (!jid->is_bare()) {
    return Result::failure(
        error(model::ErrorCondition::jid_malformed, "roster items are bare addresses"));
  }
  return jid;
}

std::vector<std::string> groups_of(const wire::XmlElement& item) {
  std::vector<std::string> groups;
  for (const wire::XmlElement* group : item.children("group", item.xmlns())) {
    groups.push_back(group->text());
  }
  return groups;
}

}  // namespace

wire::XmlElement roster_item_to_xml(const model::RosterItem& item) {
  wire::XmlElement element("item", std::string(ns::kRoster));
  element.set_attr("jid", item.jid.bare_string());
  if (!item.name.empty()) element.set_attr("name", item.name);
  element.set_attr("subscription",
                   std::string(model::subscription_name(model::subscription_of(item.state))));
  if (model::pending_out(item.state)) element.set_attr("ask", "subscribe");
  if (item.approved) element.set_attr("approved", "true");  // RFC 6121 §3.4
  for (const auto& group : item.groups) element.add_child("group").set_text(group);
  return element;
}

wire::XmlElement roster_removed_item_to_xml(const model::Address& jid) {
  wire::XmlElement element("item", std::string(ns::kRoster));
  element.set_attr("jid", jid.bare_string());
  element.set_attr("subscription", "remove");
  return element;
}

model::Expected<RosterItemUpdate, model::StanzaError> roster_item_from_xml(
    const wire::XmlElement& item) {
  using Result = model::Expected<RosterItemUpdate, model::StanzaError>;
  RosterItemUpdate update;
  auto jid = item_jid(item);
  if (!jid) return Result::failure(jid.error());
  update.item.jid = std::move(jid).value();
  update.item.name = item.attr_or("name");
  const std::string subscription = item.attr_or("subscription", "none");
  if (subscription == "remove") {
    update.remove = true;
  } else {
    auto parsed = subscription_from_name(subscription);
    if (!parsed) {
      return Result::failure(
          error(model::ErrorCondition::bad_request, "unknown subscription '" + subscription + "'"));
    }
    update.item.state = state_of(*parsed, item.attr_or("ask") == "subscribe");
  }
  const std::string approved = item.attr_or("approved");
  update.item.approved = approved == "true" || approved == "1";  // xs:boolean
  update.item.groups = groups_of(item);
  return update;
}

wire::XmlElement roster_result_to_xml(std::span<const model::RosterItem> items,
                                      std::uint64_t version) {
  wire::XmlElement query("query", std::string(ns::kRoster));
  query.set_attr("ver", std::to_string(version));  // XEP-0237 §3: opaque to the client
  for (const auto& item : items) query.add_child(roster_item_to_xml(item));
  return query;
}

wire::XmlElement roster_push_to_xml(const api::RosterPush& push) {
  wire::XmlElement query("query", std::string(ns::kRoster));
  query.set_attr("ver", std::to_string(push.version));
  query.add_child(push.removed ? roster_removed_item_to_xml(push.item.jid)
                               : roster_item_to_xml(push.item));
  return query;
}

model::Expected<RosterItemUpdate, model::StanzaError> roster_set_from_query(
    const wire::XmlElement& query) {
  using Result = model::Expected<RosterItemUpdate, model::StanzaError>;
  auto items = query.children("item", query.xmlns());
  // RFC 6121 §2.3.3: a roster set contains exactly one item.
  if (items.size() != 1) {
    return Result::failure(
        error(model::ErrorCondition::bad_request, "a roster set carries exactly one item"));
  }
  const wire::XmlElement& item = *items.front();
  RosterItemUpdate update;
  auto jid = item_jid(item);
  if (!jid) return Result::failure(jid.error());
  update.item.jid = std::move(jid).value();
  update.item.name = item.attr_or("name");
  // RFC 6121 §2.1.2.5/§2.5.2: only 'remove' means something in a set; other subscription
  // values, 'ask' and 'approved' are the server's to set and are ignored.
  update.remove = item.attr_or("subscription") == "remove";
  if (update.remove) return update;
  update.item.groups = groups_of(item);
  for (std::size_t i = 0; i < update.item.groups.size(); ++i) {
    const std::string& group = update.item.groups[i];
    if (group.empty()) {
      return Result::failure(
          error(model::ErrorCondition::not_acceptable, "empty group name (RFC 6121 §2.3.3)"));
    }
    if (std::find(update.item.groups.begin(), update.item.groups.begin() + i, group) !=
        update.item.groups.begin() + i) {
      return Result::failure(
          error(model::ErrorCondition::bad_request, "duplicate group '" + group + "'"));
    }
  }
  return update;
}

}  // namespace parley::mapping::xmpp
