#include "adapters/sip/services/subscribe_service.hpp"

#include <algorithm>

#include "adapters/sip/services/digest_auth.hpp"
#include "adapters/sip/services/request_helpers.hpp"
#include "gateway/log/log.hpp"
#include "mapping/sip/pidf.hpp"

namespace parley::sip {
namespace {

using model::PresenceType;

bool accepts_pidf(const SipMessage& request) {
  auto values = request.header_values("Accept");
  if (values.empty()) return true;  // RFC 3856 §6.7: PIDF is the default
  for (const auto& value : values) {
    std::string lower;
    for (char c : value)
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower.find("application/pidf+xml") != std::string::npos ||
        lower.find("*/*") != std::string::npos)
      return true;
  }
  return false;
}

void send_subscription(api::Core& core, const model::Address& from, const model::Address& to,
                       PresenceType type) {
  model::Presence presence;
  presence.from = from;
  presence.to = to;
  presence.type = type;
  core.send_presence(std::move(presence));
}

bool has_to(model::SubscriptionState state) {
  const auto s = model::subscription_of(state);
  return s == model::Subscription::to || s == model::Subscription::both;
}

}  // namespace

void SubscribeService::on_subscribe(std::shared_ptr<ServerTransaction> transaction) {
  const SipMessage& request = transaction->request();
  auto event = parse_event(request);
  if (!event || event->package != "presence") {
    // RFC 6665 §4.2.1: unknown or missing package -> 489 with Allow-Events.
    SipMessage response = response_for(ctx_, request, 489);
    response.add_header("Allow-Events", "presence");
    transaction->respond(std::move(response));
    return;
  }
  if (!accepts_pidf(request)) {
    SipMessage response = response_for(ctx_, request, 406, "PIDF Required");
    response.add_header("Accept", std::string(mapping::sip::kPidfContentType));
    transaction->respond(std::move(response));
    return;
  }
  auto to = request.to();
  auto from = request.from();
  if (!to || !from || request.contacts().empty()) {
    transaction->respond(response_for(ctx_, request, 400, "Missing From, To Or Contact"));
    return;
  }
  auto target = local_account(to->uri, ctx_.config);
  if (!target) {
    transaction->respond(response_for(ctx_, request, 404, "Unknown Presentity"));
    return;
  }
  auto watcher = local_account(from->uri, ctx_.config);
  if (!watcher) {
    transaction->respond(response_for(ctx_, request, 403, "Watcher Is Not A Local User"));
    return;
  }
  auto expiry = choose_expiry(request.expires(), ctx_.config.subscribe);
  if (expiry.too_brief) {
    SipMessage response = response_for(ctx_, request, 423);
    response.add_header("Min-Expires", std::to_string(ctx_.config.subscribe.min_expires.count()));
    transaction->respond(std::move(response));
    return;
  }
  authenticate(ctx_, transaction, AuthKind::proxy, *watcher,
               [this, transaction, target = *target](const model::Address& account) {
                 subscribed(transaction, account, target);
               });
}

void SubscribeService::subscribed(const std::shared_ptr<ServerTransaction>& transaction,
                                  const model::Address& watcher, const model::Address& target) {
  const SipMessage& request = transaction->request();
  auto to = request.to();
  auto from = request.from();
  const std::string call_id = request.call_id().value_or("");
  SipAccount& account = ctx_.account(watcher);
  if (const std::string to_tag = tag_of(*to); !to_tag.empty()) {
    // RFC 6665 §4.2.1.2: a refresh (or unsubscribe) within an existing dialog.
    const std::string key = dialog_key(call_id, to_tag);
    if (!account.watches.contains(key)) {
      transaction->respond(response_for(ctx_, request, 481, "Subscription Does Not Exist"));
      ctx_.refresh(account);
      return;
    }
    refresh(transaction, account, key);
    return;
  }
  if (!ctx_.core.account_exists(target)) {
    transaction->respond(response_for(ctx_, request, 404, "Unknown Presentity"));
    ctx_.refresh(account);
    return;
  }
  if (account.watches.size() >= ctx_.config.max_subscriptions_per_account) {
    transaction->respond(response_for(ctx_, request, 403, "Too Many Subscriptions"));
    return;
  }
  const auto expiry = choose_expiry(request.expires(), ctx_.config.subscribe);
  Watch watch;
  watch.call_id = call_id;
  watch.local_tag = ctx_.stack ? ctx_.stack->new_token() : "tag";
  watch.remote_tag = tag_of(*from);
  watch.subscriber = *from;
  watch.notifier = without_params(*to);
  watch.remote_target = request.contacts().front().uri;
  watch.route_set = request.header_values("Record-Route");
  watch.event_id = parse_event(request)->id;
  watch.flow = transaction->flow();
  watch.target = target;
  // An Expires: 0 SUBSCRIBE is a fetch (RFC 6665 §4.4.3): one NOTIFY, then terminated.
  watch.expires = ctx_.now() + expiry.value;
  const std::string key = dialog_key(call_id, watch.local_tag);

  SipMessage response = response_for(ctx_, request, 200, {}, watch.local_tag);
  response.add_header("Expires", std::to_string(expiry.value.count()));
  if (ctx_.stack) {
    NameAddr contact;
    contact.uri = ctx_.stack->local_uri(watch.flow);
    response.add_header("Contact", contact.to_string());
  }
  transaction->respond(std::move(response));
  account.watches.emplace(key, std::move(watch));
  ctx_.refresh(account);  // the endpoint must be bound before the core can watch for it
  PARLEY_LOG_INFO("sip", "", "subscribed",
                  {{"watcher", watcher.to_string()}, {"target", target.to_string()}});
  decide(watcher, key);
}

void SubscribeService::refresh(const std::shared_ptr<ServerTransaction>& transaction,
                               SipAccount& account, const std::string& key) {
  const SipMessage& request = transaction->request();
  const auto expiry = choose_expiry(request.expires(), ctx_.config.subscribe);
  Watch& watch = account.watches.at(key);
  watch.expires = ctx_.now() + expiry.value;
  watch.flow = transaction->flow();
  if (auto contacts = request.contacts(); !contacts.empty())
    watch.remote_target = contacts.front().uri;
  SipMessage response = response_for(ctx_, request, 200);
  response.add_header("Expires", std::to_string(expiry.value.count()));
  transaction->respond(std::move(response));
  if (expiry.value.count() == 0) {
    remove(account, key, "timeout", /*notify=*/true);  // RFC 6665 §4.2.1.4 unsubscribe
    return;
  }
  notify(account, watch, /*skip_same=*/false);  // §4.2.2: a NOTIFY after every refresh
}

bool SubscribeService::organisation_allows(const model::Address& watcher,
                                           const model::Address& target) const {
  if (watcher.bare() == target.bare()) return true;
  return ctx_.config.policy == PresencePolicy::organisation &&
         ctx_.config.organisation_scope == OrganisationScope::domain &&
         watcher.domain() == target.domain();
}

void SubscribeService::decide(const model::Address& watcher, const std::string& key) {
  SipAccount* account = ctx_.find_account(watcher);
  if (!account || !account->watches.contains(key)) return;
  Watch& watch = account->watches.at(key);
  if (organisation_allows(watcher, watch.target)) {
    activate(*account, watch);
    return;
  }
  notify(*account, watch, /*skip_same=*/false);  // pending until we know more
  // The roster (with department colleagues as "both" items) says whether it is approved.
  const model::Address target = watch.target;
  ctx_.core.roster_get(watcher, ctx_.on_strand([this, keep = ctx_.owner.lock(), watcher, key,
                                                target](api::RosterSnapshot roster) {
    SipAccount* owner = ctx_.find_account(watcher);
    if (!owner || !owner->watches.contains(key)) return;
    Watch& pending = owner->watches.at(key);
    if (pending.state == WatchState::active) return;
    auto item = std::find_if(roster.items.begin(), roster.items.end(),
                             [&](const model::RosterItem& i) { return i.jid == target; });
    // Department colleagues are "both" items in the snapshot.
    const bool approved = item != roster.items.end() && has_to(item->state);
    if (approved) {
      activate(*owner, pending);
      return;
    }
    // RFC 6121 §3.1.1 request, and §3.4 pre-approval of the contact's reverse request.
    const model::Address full = owner->full();
    if (owner->endpoint) {
      send_subscription(ctx_.core, full, target, PresenceType::subscribe);
      send_subscription(ctx_.core, full, target, PresenceType::subscribed);
      owner->subscribe_requests.erase(target);
    }
  }));
}

void SubscribeService::activate(SipAccount& account, Watch& watch) {
  watch.state = WatchState::active;
  // Subscribing back approves the contact's own request (docs/sip.md, roster policy).
  if (account.subscribe_requests.erase(watch.target) && account.endpoint) {
    send_subscription(ctx_.core, account.full(), watch.target, PresenceType::subscribed);
  }
  if (!watch.core_watch && account.endpoint)
    watch.core_watch = ctx_.core.watch_presence(account.full(), watch.target);
  notify(account, watch, /*skip_same=*/false);
}

void SubscribeService::notify(SipAccount& account, Watch& watch, bool skip_same) {
  NotifyContent content;
  if (watch.state == WatchState::pending) {
    content.state = NotifyState::pending;
  } else {
    content.state = NotifyState::active;
    auto it = account.contacts.find(watch.target);
    content.presence =
        it == account.contacts.end() ? aggregate_presence({}) : aggregate_presence(it->second);
  }
  const model::Address bare = account.bare;
  const std::string key = dialog_key(watch.call_id, watch.local_tag);
  send_notify(ctx_, watch, content, skip_same, [this, bare, key] {
    if (SipAccount* a = ctx_.find_account(bare)) remove(*a, key, "", /*notify=*/false);
  });
}

void SubscribeService::remove(SipAccount& account, const std::string& key, std::string_view reason,
                              bool notify_end) {
  auto it = account.watches.find(key);
  if (it == account.watches.end()) return;
  Watch watch = std::move(it->second);
  account.watches.erase(it);
  if (notify_end) {
    NotifyContent content;
    content.state = NotifyState::terminated;
    content.reason = std::string(reason);
    send_notify(ctx_, watch, content, /*skip_same=*/false, nullptr);
  }
  const bool still_watched =
      std::any_of(account.watches.begin(), account.watches.end(), [&](const auto& entry) {
        return entry.second.target == watch.target && entry.second.core_watch;
      });
  if (watch.core_watch && !still_watched) {
    ctx_.core.unwatch_presence(account.full(), watch.target);
    for (auto& [k, other] : account.watches)
      if (other.target == watch.target) other.core_watch = false;
  }
  if (!std::any_of(account.watches.begin(), account.watches.end(),
                   [&](const auto& entry) { return entry.second.target == watch.target; }))
    account.contacts.erase(watch.target);
  ctx_.refresh(account);
}

void SubscribeService::on_presence(SipAccount& account, const model::Presence& presence) {
  const model::Address contact = presence.from.bare();
  switch (presence.type) {
    case PresenceType::available:
    case PresenceType::unavailable: {
      auto& resources = account.contacts[contact];
      if (presence.type == PresenceType::available)
        resources[presence.from] = presence;
      else if (presence.from.is_bare())
        resources.clear();
      else
        resources.erase(presence.from);
      for (auto& [key, watch] : account.watches)
        if (watch.target == contact && watch.state == WatchState::active)
          notify(account, watch, /*skip_same=*/true);
      return;
    }
    case PresenceType::subscribed:  // RFC 6121 §3.1.5: the contact approved
      for (auto& [key, watch] : account.watches)
        if (watch.target == contact && watch.state == WatchState::pending) activate(account, watch);
      return;
    case PresenceType::unsubscribed: {  // §3.2: refused or cancelled
      std::vector<std::string> ended;
      for (auto& [key, watch] : account.watches)
        if (watch.target == contact && watch.state == WatchState::pending) ended.push_back(key);
      for (const auto& key : ended) remove(account, key, "rejected", /*notify=*/true);
      return;
    }
    case PresenceType::subscribe: {
      // An XMPP (or other) user asks to see this SIP user. Approved at once when the policy
      // lets them see it anyway or the SIP user already watches them (subscribing back).
      const bool watches_them =
          std::any_of(account.watches.begin(), account.watches.end(),
                      [&](const auto& entry) { return entry.second.target == contact; });
      if ((organisation_allows(account.bare, contact) || watches_them) && account.endpoint) {
        send_subscription(ctx_.core, account.full(), contact, PresenceType::subscribed);
      } else {
        account.subscribe_requests.insert(contact);  // approved when the SIP user subscribes
      }
      return;
    }
    default:
      return;
  }
}

void SubscribeService::sweep(TimePoint now) {
  for (auto& [bare, account] : ctx_.accounts) {
    std::vector<std::string> expired;
    for (const auto& [key, watch] : account->watches)
      if (watch.expires <= now) expired.push_back(key);
    for (const auto& key : expired) remove(*account, key, "timeout", /*notify=*/true);
  }
}

void SubscribeService::on_flow_closed(const Flow& flow) {
  if (flow.connection_id == 0) return;
  for (auto& [bare, account] : ctx_.accounts) {
    std::vector<std::string> dead;
    for (const auto& [key, watch] : account->watches)
      if (watch.flow == flow) dead.push_back(key);
    for (const auto& key : dead) remove(*account, key, "", /*notify=*/false);
  }
}

void SubscribeService::terminate_all(SipAccount& account, std::string_view reason) {
  std::vector<std::string> keys;
  for (const auto& [key, watch] : account.watches) keys.push_back(key);
  for (const auto& key : keys) remove(account, key, reason, /*notify=*/true);
}

}  // namespace parley::sip
