#include "gateway/core/presence_service.hpp"

#include <set>

#include "gateway/core/fanout.hpp"

namespace parley::core {
namespace {

using model::PresenceType;

// What a broadcast needs from the store, read in one job.
struct Audience {
  std::vector<model::Address> subscribers;  // see the user's presence (from/both)
  std::vector<model::Address> sources;      // the user sees their presence (to/both)
  std::vector<model::Address> pending_in;   // RFC 6121 §3.1.3 stored subscription requests
};

// Either side's block list cuts presence both ways (XEP-0191 §3.3).
bool blocked_either_way(api::Stores& stores, const std::vector<model::Address>& user_blocks,
                        const model::Address& user_full, const model::Address& contact) {
  return block_list_matches(user_blocks, contact) ||
         block_list_matches(stores.blocks.list(contact), user_full);
}

Audience read_audience(api::Stores& stores, const DirectorySnapshot& directory,
                       const model::Address& user_full, bool initial) {
  const model::Address user = user_full.bare();
  const auto user_blocks = stores.blocks.list(user);
  std::set<model::Address> subscribers, sources;
  Audience audience;
  for (const auto& item : stores.rosters.items(user)) {
    if (initial && model::pending_in(item.state)) audience.pending_in.push_back(item.jid);
    if (blocked_either_way(stores, user_blocks, user_full, item.jid)) continue;
    if (has_from(item.state)) subscribers.insert(item.jid);
    if (initial && has_to(item.state)) sources.insert(item.jid);
  }
  // Department colleagues see each other as if subscribed both ways.
  for (const auto& colleague : directory.colleagues_of(user)) {
    if (blocked_either_way(stores, user_blocks, user_full, colleague)) continue;
    subscribers.insert(colleague);
    if (initial) sources.insert(colleague);
  }
  audience.subscribers.assign(subscribers.begin(), subscribers.end());
  audience.sources.assign(sources.begin(), sources.end());
  return audience;
}

// Each endpoint once, however many reasons it has to get the stanza.
class Fanout {
 public:
  void add(const std::vector<EndpointView>& views) {
    for (const auto& view : views)
      if (seen_.insert(view.endpoint.get()).second) targets_.push_back(view);
  }
  const std::vector<EndpointView>& targets() const { return targets_; }

 private:
  std::set<const api::Endpoint*> seen_;
  std::vector<EndpointView> targets_;
};

}  // namespace

void PresenceService::send(model::Presence presence) {
  if (!ctx_.endpoints.is_bound(presence.from)) return;  // only bound endpoints speak
  if (!presence.to.empty()) {
    switch (presence.type) {
      case PresenceType::available:
      case PresenceType::unavailable:
        send_directed(std::move(presence));
        return;
      case PresenceType::probe:
        answer_probe(presence);
        return;
      case PresenceType::error:
        // An error about a presence we routed: back to that endpoint only (RFC 6120 §8.3.1).
        if (auto target = ctx_.endpoints.find(presence.to))
          target->endpoint->deliver(
              api::PresenceDelivery{std::make_shared<const model::Presence>(std::move(presence))});
        return;
      default:
        return;  // subscriptions are handled by SubscriptionService
    }
  }
  if (presence.type == PresenceType::available) {
    broadcast_available(presence);
  } else if (presence.type == PresenceType::unavailable) {
    auto shared = std::make_shared<const model::Presence>(std::move(presence));
    auto update = ctx_.endpoints.set_unavailable(shared->from, shared);
    if (!update.found || (!update.was_available && update.directed.empty())) return;
    broadcast_unavailable(std::move(shared), std::move(update.directed));
  }
  // probe/error/subscription without 'to': nothing to route (RFC 6121 §4.3.1 needs a 'to').
}

void PresenceService::on_removed(const RemovedEndpoint& removed) {
  if (!removed.view.available && removed.directed.empty()) return;
  broadcast_unavailable(make_presence(removed.view.full, {}, PresenceType::unavailable),
                        removed.directed);
}

void PresenceService::broadcast_available(const model::Presence& presence) {
  auto shared = std::make_shared<model::Presence>(presence);
  shared->to = {};
  const model::Address full = shared->from;
  auto update = ctx_.endpoints.set_available(full, shared);
  if (!update.found) return;
  const bool initial = !update.was_available;
  EndpointView self{full, update.endpoint};
  const bool flush = update.flush_offline;
  auto directory = ctx_.directory.snapshot();
  ctx_.run<Audience>(
      [full, initial, directory](api::Stores& stores) {
        return read_audience(stores, *directory, full, initial);
      },
      [this, shared, full, initial, flush, self](std::optional<Audience> audience) {
        if (!audience) return;
        const api::PresenceDelivery delivery{shared};
        // RFC 6121 §4.2.2 / §4.4.2: to subscribers' available resources and to all of the
        // user's available resources, the sending one included.
        Fanout fanout;
        for (const auto& contact : audience->subscribers)
          fanout.add(ctx_.endpoints.available_of(contact));
        fanout.add(ctx_.endpoints.available_of(full.bare()));
        deliver_to(fanout.targets(), delivery);
        if (!initial) return;
        if (!ctx_.endpoints.holds(full, self.endpoint.get())) return;
        // §4.2.3 probes, answered from what we know locally: the current presence of each
        // available resource of every contact the user is subscribed to.
        const std::vector<EndpointView> me{self};
        for (const auto& contact : audience->sources) send_presences_of(ctx_, contact, me);
        // The user's other resources are known to the new one too (§4.2.2).
        for (const auto& own : ctx_.endpoints.available_of(full.bare()))
          if (own.full != full && own.presence)
            self.endpoint->deliver(api::PresenceDelivery{own.presence});
        // §3.1.3: subscription requests that waited for an available resource.
        for (const auto& requester : audience->pending_in)
          self.endpoint->deliver(api::PresenceDelivery{
              make_presence(requester, full.bare(), PresenceType::subscribe)});
        if (flush) offline_.flush_to(self);
      });
  if (!initial && flush) offline_.flush_to(self);  // priority became non-negative later
}

void PresenceService::broadcast_unavailable(std::shared_ptr<const model::Presence> presence,
                                            std::vector<model::Address> directed) {
  const model::Address full = presence->from;
  auto directory = ctx_.directory.snapshot();
  ctx_.run<Audience>(
      [full, directory](api::Stores& stores) {
        return read_audience(stores, *directory, full, /*initial=*/false);
      },
      [this, presence, full, directed](std::optional<Audience> audience) {
        Fanout fanout;
        if (audience)
          for (const auto& contact : audience->subscribers)
            fanout.add(ctx_.endpoints.available_of(contact));
        fanout.add(ctx_.endpoints.available_of(full.bare()));
        if (auto self = ctx_.endpoints.find(full)) fanout.add({*self});  // still bound
        // RFC 6121 §4.6.3: everyone who got directed presence learns we left.
        for (const auto& recipient : directed) {
          if (recipient.is_full()) {
            if (auto target = ctx_.endpoints.find(recipient)) fanout.add({*target});
          } else {
            fanout.add(ctx_.endpoints.available_of(recipient));
          }
        }
        deliver_to(fanout.targets(), api::PresenceDelivery{presence});
      });
}

void PresenceService::send_directed(model::Presence presence) {
  const model::Address full = presence.from;
  const model::Address target = presence.to;
  if (!ctx_.is_local(target) || target.local().empty()) return;  // no s2s: nowhere to go
  struct Check {
    bool exists = false;
    bool blocked = false;
    bool subscribed = false;  // the target already gets our presence (from/both)
  };
  auto shared = std::make_shared<const model::Presence>(std::move(presence));
  auto directory = ctx_.directory.snapshot();
  ctx_.run<Check>(
      [full, target, directory](api::Stores& stores) {
        Check check;
        const model::Address user = full.bare();
        check.exists = stores.accounts.exists(target.bare());
        check.blocked = blocked_either_way(stores, stores.blocks.list(user), full, target);
        auto item = stores.rosters.item(user, target.bare());
        check.subscribed = (item && has_from(item->state)) ||
                           directory->are_colleagues(user, target.bare()) || user == target.bare();
        return check;
      },
      [this, shared, full, target](std::optional<Check> check) {
        if (!check || !check->exists || check->blocked) return;  // §4.6.2 unknown: dropped
        std::vector<EndpointView> targets;
        if (target.is_full()) {
          if (auto view = ctx_.endpoints.find(target)) targets.push_back(*view);
        } else {
          targets = ctx_.endpoints.available_of(target);
        }
        deliver_to(targets, api::PresenceDelivery{shared});
        if (shared->type == PresenceType::unavailable)
          ctx_.endpoints.remove_directed(full, target);
        else if (!check->subscribed)  // §4.6.3: remember it for the unavailable broadcast
          ctx_.endpoints.add_directed(full, target);
      });
}

void PresenceService::answer_probe(const model::Presence& probe) {
  const model::Address full = probe.from;
  const model::Address contact = probe.to.bare();
  if (!ctx_.is_local(contact) || contact.local().empty()) return;
  auto directory = ctx_.directory.snapshot();
  ctx_.run<bool>(
      [full, contact, directory](api::Stores& stores) {
        const model::Address user = full.bare();
        if (!stores.accounts.exists(contact)) return false;
        // §4.3.2: a probe from a blocked (or blocking) contact is not answered (XEP-0191).
        if (blocked_either_way(stores, stores.blocks.list(user), full, contact)) return false;
        if (user == contact || directory->are_colleagues(user, contact)) return true;
        auto item = stores.rosters.item(user, contact);
        return item && has_to(item->state);
      },
      [this, full, contact](std::optional<bool> allowed) {
        if (!allowed || !*allowed) return;
        auto self = ctx_.endpoints.find(full);
        if (!self) return;
        const std::vector<EndpointView> me{*self};
        if (ctx_.endpoints.available_of(contact).empty()) {
          // §4.3.2: subscribed but offline -> unavailable from the contact's bare address.
          self->endpoint->deliver(
              api::PresenceDelivery{make_presence(contact, full, PresenceType::unavailable)});
          return;
        }
        send_presences_of(ctx_, contact, me);
      });
}

}  // namespace parley::core
