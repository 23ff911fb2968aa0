#include "gateway/core/subscription_service.hpp"

#include "gateway/core/fanout.hpp"

namespace parley::core {
namespace {

using model::PresenceType;
using model::SubscriptionEvent;
using model::SubscriptionState;

struct Outcome {
  bool blocked = false;
  std::optional<ItemChange> user_change;
  std::optional<ItemChange> contact_change;
  bool forward = false;               // deliver the stanza to the contact
  std::optional<PresenceType> reply;  // the contact's server answers on its behalf
};

SubscriptionEvent outbound_event(PresenceType type) {
  switch (type) {
    case PresenceType::subscribe:
      return SubscriptionEvent::outbound_subscribe;
    case PresenceType::subscribed:
      return SubscriptionEvent::outbound_subscribed;
    case PresenceType::unsubscribe:
      return SubscriptionEvent::outbound_unsubscribe;
    default:
      return SubscriptionEvent::outbound_unsubscribed;
  }
}

SubscriptionEvent inbound_event(PresenceType type) {
  switch (type) {
    case PresenceType::subscribe:
      return SubscriptionEvent::inbound_subscribe;
    case PresenceType::subscribed:
      return SubscriptionEvent::inbound_subscribed;
    case PresenceType::unsubscribe:
      return SubscriptionEvent::inbound_unsubscribe;
    default:
      return SubscriptionEvent::inbound_unsubscribed;
  }
}

model::RosterItem load_item(api::Stores& stores, const model::Address& user,
                            const model::Address& contact, bool& existed) {
  auto item = stores.rosters.item(user, contact);
  existed = item.has_value();
  if (item) return *item;
  model::RosterItem fresh;
  fresh.jid = contact;
  return fresh;
}

// Persists `after` if it differs; a brand-new item that is only a pending inbound request
// (or nothing) is still stored -- it *is* the stored request of §3.1.3 -- but not pushed.
std::optional<ItemChange> persist(api::Stores& stores, const model::Address& user,
                                  const model::RosterItem& before, const model::RosterItem& after,
                                  bool existed, bool push) {
  if (existed && before == after) return std::nullopt;
  if (!existed && after.state == SubscriptionState::none && !after.approved && !push)
    return std::nullopt;
  ItemChange change{user, before, after, push, 0};
  change.version = stores.rosters.put(user, after);
  return change;
}

// RFC 6121 §3.4: pre-approval only makes sense while the contact has not asked yet and is
// not subscribed already.
bool can_preapprove(SubscriptionState state) {
  return state == SubscriptionState::none || state == SubscriptionState::none_pending_out ||
         state == SubscriptionState::to;
}

Outcome run_handshake(api::Stores& stores, const model::Address& user_full,
                      const model::Address& contact, PresenceType type) {
  Outcome out;
  const model::Address user = user_full.bare();
  if (block_list_matches(stores.blocks.list(user), contact) ||
      block_list_matches(stores.blocks.list(contact), user_full)) {
    out.blocked = true;  // XEP-0191 §3.3: neither side hears from the other
    return out;
  }
  const bool contact_exists = stores.accounts.exists(contact);
  bool user_existed = false;
  const model::RosterItem user_before = load_item(stores, user, contact, user_existed);
  model::RosterItem user_item = user_before;
  bool user_push = !user_existed && type == PresenceType::subscribe;  // §3.1.2 creates it

  if (type == PresenceType::subscribed && can_preapprove(user_item.state)) {
    // §3.4: remember the approval; nothing goes to the contact yet.
    if (!user_item.approved) user_push = true;
    user_item.approved = true;
    out.user_change = persist(stores, user, user_before, user_item, user_existed, user_push);
    return out;
  }
  out.forward = apply_event(user_item, outbound_event(type), user_push);
  if (type == PresenceType::unsubscribed && user_item.approved) {
    user_item.approved = false;  // §3.4: cancelling also cancels a pre-approval
    user_push = true;
  }

  if (!contact_exists) {
    out.forward = false;
    if (type == PresenceType::subscribe) {  // §3.1.3: no such contact -> unsubscribed
      apply_event(user_item, SubscriptionEvent::inbound_unsubscribed, user_push);
      out.reply = PresenceType::unsubscribed;
    }
  } else if (out.forward) {
    bool contact_existed = false;
    const model::RosterItem contact_before = load_item(stores, contact, user, contact_existed);
    model::RosterItem contact_item = contact_before;
    bool contact_push = false;
    if (type == PresenceType::subscribe && has_from(contact_item.state)) {
      out.forward = false;  // §3.1.3 rule 3: already subscribed, auto-reply
      out.reply = PresenceType::subscribed;
    } else if (type == PresenceType::subscribe && contact_item.approved) {
      // §3.4: pre-approved -> the contact's server approves on its behalf.
      apply_event(contact_item, SubscriptionEvent::inbound_subscribe, contact_push);
      apply_event(contact_item, SubscriptionEvent::outbound_subscribed, contact_push);
      contact_item.approved = false;
      contact_push = true;
      out.forward = false;
      out.reply = PresenceType::subscribed;
    } else {
      out.forward = apply_event(contact_item, inbound_event(type), contact_push);
    }
    out.contact_change =
        persist(stores, contact, contact_before, contact_item, contact_existed, contact_push);
    if (out.reply == PresenceType::subscribed)
      apply_event(user_item, SubscriptionEvent::inbound_subscribed, user_push);
  }
  out.user_change = persist(stores, user, user_before, user_item, user_existed, user_push);
  return out;
}

// The im.subscription event (compliance.hpp): peer is the contact, details the type.
std::shared_ptr<const api::ComplianceEvent> subscription_event(const model::Address& user_full,
                                                               const model::Address& contact,
                                                               PresenceType type,
                                                               model::Timestamp now) {
  auto event = std::make_shared<api::ComplianceEvent>();
  event->id = api::new_compliance_id();
  event->time = now;
  event->kind = api::ComplianceEventKind::subscription;
  event->actor.account = user_full.bare();
  event->actor.endpoint = user_full.to_string();
  event->peer = contact;
  event->details.emplace_back("type", std::string(model::presence_type_name(type)));
  return event;
}

}  // namespace

bool apply_event(model::RosterItem& item, model::SubscriptionEvent event, bool& push) {
  const auto transition = model::apply(item.state, event);
  item.state = transition.next;
  push = push || transition.push;
  return transition.forward;
}

void SubscriptionService::send(model::Presence presence) {
  const model::Address user_full = presence.from;
  const model::Address user = user_full.bare();
  const model::Address contact = presence.to.bare();
  if (contact.empty() || contact == user || contact.local().empty()) return;
  if (!ctx_.is_local(contact)) return;  // no server-to-server links
  const PresenceType type = presence.type;
  const std::string id = presence.id;
  std::shared_ptr<const api::ComplianceEvent> event;
  if (ctx_.compliance.records(api::ComplianceEventKind::subscription)) {
    event = subscription_event(user_full, contact, type, ctx_.clock());
  }
  ctx_.run<Outcome>(
      [outbox = ctx_.compliance.outbox, user_full, contact, type, event](api::Stores& stores) {
        Outcome outcome = run_handshake(stores, user_full, contact, type);
        // Issue 6: in the job that writes the rosters. A request that changed nothing and
        // reached no one (blocked, or a repeated one) is not an action worth a record.
        const bool acted =
            outcome.user_change || outcome.contact_change || outcome.forward || outcome.reply;
        if (event && !outcome.blocked && acted) outbox->append(*event);
        return outcome;
      },
      [this, user, contact, type, id](std::optional<Outcome> outcome) {
        if (!outcome || outcome->blocked) return;
        if (outcome->user_change) publish(*outcome->user_change);
        if (outcome->contact_change) publish(*outcome->contact_change);
        if (outcome->forward) {
          // §3.1.2: the stanza travels from the user's bare address.
          auto stanza = std::make_shared<model::Presence>();
          stanza->id = id;
          stanza->from = user;
          stanza->to = contact;
          stanza->type = type;
          deliver_to(ctx_.endpoints.available_of(contact), api::PresenceDelivery{stanza});
        }
        if (outcome->reply) {
          deliver_to(ctx_.endpoints.available_of(user),
                     api::PresenceDelivery{make_presence(contact, user, *outcome->reply)});
        }
      });
}

void SubscriptionService::publish(const ItemChange& change) {
  if (change.push) {
    push_roster(ctx_, change.user,
                ctx_.directory.snapshot()->with_shared_groups(change.user, change.after),
                /*removed=*/false, change.version);
  }
  apply_presence_access_change(ctx_, change.user, change.after.jid, has_to(change.before.state),
                               has_to(change.after.state));
}

}  // namespace parley::core
