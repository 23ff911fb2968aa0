#include "gateway/core/roster_service.hpp"

#include <algorithm>
#include <set>

#include "gateway/core/fanout.hpp"

namespace parley::core {
namespace {

using model::ErrorCondition;
using model::StanzaError;
using model::SubscriptionEvent;
using model::SubscriptionState;

constexpr std::size_t kMaxNameBytes = 1023;  // RFC 6121 §2.1.2.4 / §2.1.2.5 ("at least 1023")

bool bare_request_only(const model::RosterItem& item) {
  return item.state == SubscriptionState::none_pending_in && item.name.empty() &&
         item.groups.empty();
}

struct RemoveOutcome {
  std::optional<ErrorCondition> error;
  std::uint64_t version = 0;
  model::RosterItem removed;
  std::optional<ItemChange> contact_change;
  std::vector<model::PresenceType> to_contact;  // stanzas forwarded to the contact (§2.5.2)
};

}  // namespace

std::vector<model::RosterItem> merge_shared_roster(const DirectorySnapshot& directory,
                                                   const model::Address& user,
                                                   std::vector<model::RosterItem> stored) {
  std::vector<model::RosterItem> items;
  std::set<model::Address> seen;
  for (auto& item : stored) {
    if (bare_request_only(item) && !directory.are_colleagues(user, item.jid)) continue;
    seen.insert(item.jid);
    items.push_back(directory.with_shared_groups(user, std::move(item)));
  }
  for (const auto& colleague : directory.colleagues_of(user)) {
    if (seen.contains(colleague)) continue;
    model::RosterItem item;
    item.jid = colleague;
    item.name = colleague.local();
    item.state = SubscriptionState::both;
    items.push_back(directory.with_shared_groups(user, std::move(item)));
  }
  return items;
}

std::optional<StanzaError> validate_roster_item(const model::Address& user,
                                                const model::RosterItem& item) {
  if (item.jid.empty() || item.jid.is_full())
    return StanzaError::make(ErrorCondition::bad_request, "roster items are bare addresses");
  if (item.jid == user.bare())
    return StanzaError::make(ErrorCondition::not_acceptable, "the user's own address");
  if (item.name.size() > kMaxNameBytes)
    return StanzaError::make(ErrorCondition::not_acceptable, "name too long");
  std::set<std::string> groups;
  for (const auto& group : item.groups) {
    if (group.empty()) return StanzaError::make(ErrorCondition::bad_request, "empty group name");
    if (group.size() > kMaxNameBytes)
      return StanzaError::make(ErrorCondition::not_acceptable, "group name too long");
    if (!groups.insert(group).second)
      return StanzaError::make(ErrorCondition::bad_request, "duplicate group");
  }
  return std::nullopt;
}

void RosterService::get(const model::Address& user, std::function<void(api::RosterSnapshot)> done) {
  const model::Address bare = user.bare();
  ctx_.run<api::RosterSnapshot>(
      [bare](api::Stores& stores) {
        api::RosterSnapshot snapshot;
        snapshot.items = stores.rosters.items(bare);
        snapshot.version = stores.rosters.version(bare);
        return snapshot;
      },
      [this, bare, done = std::move(done)](std::optional<api::RosterSnapshot> snapshot) {
        if (!snapshot) {
          if (done) done({});
          return;
        }
        snapshot->items =
            merge_shared_roster(*ctx_.directory.snapshot(), bare, std::move(snapshot->items));
        if (done) done(std::move(*snapshot));
      });
}

void RosterService::set(const model::Address& user, model::RosterItem item,
                        api::ErrorCallback done) {
  if (auto error = validate_roster_item(user, item)) {
    if (done) done(error);
    return;
  }
  const model::Address bare = user.bare();
  auto directory = ctx_.directory.snapshot();
  // Shared groups belong to the directory: a department the contact is in is implied (and
  // not stored); one the contact is not in cannot be claimed by a client.
  std::vector<std::string> groups;
  const auto shared = directory->shared_departments(bare, item.jid);
  const auto mine = directory->departments_of.find(bare);
  for (auto& group : item.groups) {
    if (std::find(shared.begin(), shared.end(), group) != shared.end()) continue;
    if (mine != directory->departments_of.end() &&
        std::find(mine->second.begin(), mine->second.end(), group) != mine->second.end()) {
      if (done) done(StanzaError::make(ErrorCondition::forbidden, "shared group"));
      return;
    }
    groups.push_back(std::move(group));
  }
  item.groups = std::move(groups);
  struct Stored {
    model::RosterItem item;
    std::uint64_t version = 0;
  };
  ctx_.run<Stored>(
      [bare, item](api::Stores& stores) {
        Stored stored{item, 0};
        // The subscription state is the server's (RFC 6121 §2.1.2.5): keep what we have.
        if (auto existing = stores.rosters.item(bare, item.jid)) {
          stored.item.state = existing->state;
          stored.item.approved = existing->approved;
        } else {
          stored.item.state = SubscriptionState::none;
          stored.item.approved = false;
        }
        stored.version = stores.rosters.put(bare, stored.item);
        return stored;
      },
      [this, bare, done = std::move(done)](std::optional<Stored> stored) {
        if (!stored) {
          if (done) done(StanzaError::make(ErrorCondition::internal_server_error));
          return;
        }
        // RFC 6121 §2.3.2: push to every interested resource, the requesting one included.
        push_roster(ctx_, bare, ctx_.directory.snapshot()->with_shared_groups(bare, stored->item),
                    /*removed=*/false, stored->version);
        if (done) done(std::nullopt);
      });
}

void RosterService::remove(const model::Address& user, const model::Address& contact_address,
                           api::ErrorCallback done) {
  const model::Address bare = user.bare();
  const model::Address contact = contact_address.bare();
  ctx_.run<RemoveOutcome>(
      [bare, contact](api::Stores& stores) {
        RemoveOutcome out;
        auto existing = stores.rosters.item(bare, contact);
        if (!existing) {
          out.error = ErrorCondition::item_not_found;
          return out;
        }
        out.removed = *existing;
        const SubscriptionState state = existing->state;
        // RFC 6121 §2.5.2: cancel both directions, as if the user had sent the stanzas.
        std::vector<std::pair<model::PresenceType, SubscriptionEvent>> events;
        if (has_to(state) || model::pending_out(state))
          events.emplace_back(model::PresenceType::unsubscribe,
                              SubscriptionEvent::inbound_unsubscribe);
        if (has_from(state) || model::pending_in(state))
          events.emplace_back(model::PresenceType::unsubscribed,
                              SubscriptionEvent::inbound_unsubscribed);
        if (!events.empty() && stores.accounts.exists(contact)) {
          if (auto theirs = stores.rosters.item(contact, bare)) {
            model::RosterItem after = *theirs;
            bool push = false;
            for (const auto& [type, event] : events)
              if (apply_event(after, event, push)) out.to_contact.push_back(type);
            if (after != *theirs) {
              ItemChange change{contact, *theirs, after, push, 0};
              change.version = stores.rosters.put(contact, after);
              out.contact_change = change;
            }
          }
        }
        out.version = stores.rosters.remove(bare, contact).value_or(stores.rosters.version(bare));
        return out;
      },
      [this, bare, contact, done = std::move(done)](std::optional<RemoveOutcome> out) {
        if (!out) {
          if (done) done(StanzaError::make(ErrorCondition::internal_server_error));
          return;
        }
        if (out->error) {
          if (done) done(StanzaError::make(*out->error));
          return;
        }
        auto directory = ctx_.directory.snapshot();
        if (directory->are_colleagues(bare, contact)) {
          // The shared item stays: push what remains visible instead of a removal.
          model::RosterItem shared;
          shared.jid = contact;
          shared.name = contact.local();
          shared.state = SubscriptionState::both;
          push_roster(ctx_, bare, directory->with_shared_groups(bare, shared), false, out->version);
        } else {
          push_roster(ctx_, bare, out->removed, /*removed=*/true, out->version);
        }
        if (out->contact_change) subscriptions_.publish(*out->contact_change);
        for (auto type : out->to_contact)
          deliver_to(ctx_.endpoints.available_of(contact),
                     api::PresenceDelivery{make_presence(bare, contact, type)});
        // The user no longer sees the contact (§3.3.3).
        apply_presence_access_change(ctx_, bare, contact, has_to(out->removed.state), false);
        if (done) done(std::nullopt);
      });
}

}  // namespace parley::core
