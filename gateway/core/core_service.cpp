#include "gateway/core/core_service.hpp"

#include <unordered_set>

#include "gateway/core/block_service.hpp"
#include "gateway/core/core_context.hpp"
#include "gateway/core/fanout.hpp"
#include "gateway/core/message_router.hpp"
#include "gateway/core/offline_delivery.hpp"
#include "gateway/core/presence_service.hpp"
#include "gateway/core/presence_watch.hpp"
#include "gateway/core/roster_service.hpp"
#include "gateway/core/stanza_id.hpp"
#include "gateway/core/subscription_service.hpp"
#include "gateway/log/log.hpp"

namespace parley::core {

struct CoreService::State {
  State(CoreConfig config, api::StoreExecutor& store, Clock clock, IdGenerator ids)
      : ctx(std::move(config), store, std::move(clock), std::move(ids)),
        offline(ctx),
        router(ctx, offline),
        presence(ctx, offline),
        subscriptions(ctx),
        roster(ctx, subscriptions),
        blocks(ctx),
        watch(ctx) {}

  CoreContext ctx;
  OfflineDelivery offline;
  MessageRouter router;
  PresenceService presence;
  SubscriptionService subscriptions;
  RosterService roster;
  BlockService blocks;
  PresenceWatch watch;  // presence without subscription (SIP organisation policy)
};

CoreService::CoreService(CoreConfig config, api::StoreExecutor& store, Clock clock, IdGenerator ids,
                         api::MessageArchive* archive, api::ComplianceRecorder compliance) {
  if (!clock) clock = system_clock();
  if (!ids) ids = make_stanza_id_generator();
  state_ = std::make_shared<State>(std::move(config), store, std::move(clock), std::move(ids));
  state_->ctx.owner = state_;
  state_->ctx.archive = archive;
  state_->ctx.compliance = compliance;
}

CoreService::~CoreService() = default;

void CoreService::start() {
  load_accounts();
  reload_directory();
}

namespace {

// Forgets a removed account and ends its sessions (they get CloseRequest{account_removed}).
void forget_account(CoreContext& ctx, const model::Address& bare) {
  ctx.accounts.erase(bare);
  ctx.blocks.forget(bare);
  for (const auto& view : ctx.endpoints.endpoints_of(bare))
    view.endpoint->deliver(api::CloseRequest{api::CloseReason::account_removed});
}

struct AccountReload {
  std::vector<model::Address> accounts;  // in the store now
  std::vector<model::Address> removed;   // cached, but gone from the store (parleyctl remove)
};

}  // namespace

void CoreService::load_accounts() {
  State& s = *state_;
  // The comparison runs in the store job, so an account created through the daemon (which
  // goes through the same store thread) cannot fall between the listing and the comparison.
  s.ctx.run<AccountReload>(
      [&s](api::Stores& stores) {
        AccountReload reload{stores.accounts.list(), {}};
        std::unordered_set<model::Address, model::AddressHash> present(reload.accounts.begin(),
                                                                       reload.accounts.end());
        for (auto& cached : s.ctx.accounts.all())
          if (!present.contains(cached)) reload.removed.push_back(std::move(cached));
        return reload;
      },
      [&s](std::optional<AccountReload> reload) {
        if (!reload) {
          PARLEY_LOG_ERROR("core", "", "account_load_failed");
          return;
        }
        s.ctx.accounts.insert_all(reload->accounts);
        for (const auto& bare : reload->removed) forget_account(s.ctx, bare);
        PARLEY_LOG_INFO("core", "", "accounts_loaded",
                        {{"count", std::to_string(reload->accounts.size())},
                         {"removed", std::to_string(reload->removed.size())}});
      });
}

void CoreService::reload_directory() {
  State& s = *state_;
  s.ctx.run<DirectorySnapshot>(
      [](api::Stores& stores) { return DirectorySnapshot::load(stores.directory); },
      [&s](std::optional<DirectorySnapshot> snapshot) {
        if (!snapshot) {
          PARLEY_LOG_ERROR("core", "", "directory_load_failed");
          return;
        }
        s.ctx.directory.replace(std::move(*snapshot));
      });
}

void CoreService::note_account_created(const model::Address& bare) {
  state_->ctx.accounts.insert(bare.bare());
}

void CoreService::note_account_removed(const model::Address& bare) {
  forget_account(state_->ctx, bare.bare());
}

void CoreService::close_all(api::CloseReason reason) {
  for (const auto& view : state_->ctx.endpoints.all())
    view.endpoint->deliver(api::CloseRequest{reason});
}

std::size_t CoreService::endpoint_count() const {
  return state_->ctx.endpoints.all().size();
}

std::optional<model::StanzaError> CoreService::bind(const api::SessionInfo& info,
                                                    std::shared_ptr<api::Endpoint> endpoint) {
  State& s = *state_;
  if (!s.ctx.is_local(info.full))
    return model::StanzaError::make(model::ErrorCondition::not_allowed, "not a local domain");
  auto result =
      s.ctx.endpoints.bind(info, std::move(endpoint), s.ctx.config.max_sessions_per_account);
  if (result.error) return result.error;
  const model::Address bare = info.full.bare();
  s.ctx.accounts.insert(bare);  // it authenticated, so it exists
  if (result.replaced) {
    // RFC 6120 §7.7.2.2: the old session is told why, and it leaves like any other.
    result.replaced->view.endpoint->deliver(api::CloseRequest{api::CloseReason::conflict});
    s.presence.on_removed(*result.replaced);
    s.watch.on_removed(result.replaced->view.full, result.replaced->view.available);
  }
  s.blocks.warm(bare);
  PARLEY_LOG_DEBUG("core", info.session_id, "bound", {{"jid", info.full.to_string()}});
  return std::nullopt;
}

void CoreService::unbind(const model::Address& full, const api::Endpoint* endpoint) {
  if (auto removed = state_->ctx.endpoints.unbind(full, endpoint)) {
    state_->presence.on_removed(*removed);
    state_->watch.on_removed(removed->view.full, removed->view.available);
  }
}

void CoreService::set_flags(const model::Address& full, api::EndpointFlags flags) {
  state_->ctx.endpoints.set_flags(full, flags);
}

bool CoreService::is_bound(const model::Address& full) const {
  return state_->ctx.endpoints.is_bound(full);
}

void CoreService::send_message(model::Message message) {
  state_->router.send(std::move(message));
}

void CoreService::send_presence(model::Presence presence) {
  if (presence.is_subscription()) {
    if (state_->ctx.endpoints.is_bound(presence.from))
      state_->subscriptions.send(std::move(presence));
    return;
  }
  const bool broadcast = presence.to.empty();
  std::optional<model::Presence> copy;
  if (broadcast) copy = presence;
  state_->presence.send(std::move(presence));
  if (copy) state_->watch.on_broadcast(*copy);
}

void CoreService::roster_get(const model::Address& user,
                             std::function<void(api::RosterSnapshot)> done) {
  state_->roster.get(user, std::move(done));
}

void CoreService::roster_set(const model::Address& user, model::RosterItem item,
                             api::ErrorCallback done) {
  state_->roster.set(user, std::move(item), std::move(done));
}

void CoreService::roster_remove(const model::Address& user, const model::Address& contact,
                                api::ErrorCallback done) {
  state_->roster.remove(user, contact, std::move(done));
}

void CoreService::block_list(const model::Address& user,
                             std::function<void(std::vector<model::Address>)> done) {
  state_->blocks.list(user, std::move(done));
}

void CoreService::block(const model::Address& user, std::vector<model::Address> items,
                        api::ErrorCallback done) {
  state_->blocks.block(user, std::move(items), std::move(done));
}

void CoreService::unblock(const model::Address& user, std::vector<model::Address> items,
                          api::ErrorCallback done) {
  state_->blocks.unblock(user, std::move(items), std::move(done));
}

void CoreService::send_opaque(api::OpaqueDelivery stanza, api::ErrorCallback done) {
  // RFC 6120 §10.5.3.1: only a bound full address of the same protocol can take it.
  auto target = state_->ctx.endpoints.find(stanza.to);
  if (!target || target->protocol != stanza.origin) {
    if (done) done(model::StanzaError::make(model::ErrorCondition::service_unavailable));
    return;
  }
  target->endpoint->deliver(std::move(stanza));
  if (done) done(std::nullopt);
}

bool CoreService::account_exists(const model::Address& bare) const {
  return state_->ctx.accounts.contains(bare.bare());
}

bool CoreService::watch_presence(const model::Address& watcher_full, const model::Address& target) {
  return state_->watch.watch(watcher_full, target);
}

void CoreService::unwatch_presence(const model::Address& watcher_full,
                                   const model::Address& target) {
  state_->watch.unwatch(watcher_full, target);
}

}  // namespace parley::core
