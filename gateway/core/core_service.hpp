#pragma once
// CoreService: the protocol-neutral core behind api::Core. A thin facade over small services
// sharing one CoreContext: MessageRouter (RFC 6121 §8.5), PresenceService (§4),
// SubscriptionService (§3), RosterService (§2), BlockService (XEP-0191), OfflineDelivery.
//
// Threading: every method may be called from any thread. The endpoint table, account cache
// and block cache are sharded with one mutex per shard; Endpoint::deliver is never called with
// a lock held. Work that needs the database runs as a job on the StoreExecutor; its
// continuation runs on the store thread and delivers from there.
//
// Lifetime: the services live in a shared state that every queued store job keeps alive, so
// the CoreService object may be destroyed while jobs are still queued; the StoreExecutor must
// outlive both.
#include <cstddef>
#include <memory>

#include "gateway/api/compliance.hpp"
#include "gateway/api/core.hpp"
#include "gateway/api/message_archive.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/core_config.hpp"

namespace parley::core {

class CoreService final : public api::Core {
 public:
  // `archive` (optional, must outlive the service): every routed chat/normal message with a
  // body is recorded there (XEP-0313 user archives).
  // `compliance` (issue 6): records subscription changes in the jobs that write the rosters.
  CoreService(CoreConfig config, api::StoreExecutor& store, Clock clock = system_clock(),
              IdGenerator ids = {},  // empty ids: a StanzaIdGenerator
              api::MessageArchive* archive = nullptr, api::ComplianceRecorder compliance = {});
  ~CoreService() override;
  CoreService(const CoreService&) = delete;
  CoreService& operator=(const CoreService&) = delete;

  // Loads the account cache and the directory (both through the store executor).
  void start();
  void load_accounts();
  // Re-reads departments and members; the admin paths call it after directory changes.
  void reload_directory();
  // Admin paths: keep the account cache exact. Removal also asks the account's sessions to
  // close (CloseRequest{account_removed}).
  void note_account_created(const model::Address& bare);
  void note_account_removed(const model::Address& bare);
  // Asks every bound endpoint to close (shutdown); they unbind themselves.
  void close_all(api::CloseReason reason);
  std::size_t endpoint_count() const;

  // ---- api::Core ----
  std::optional<model::StanzaError> bind(const api::SessionInfo& info,
                                         std::shared_ptr<api::Endpoint> endpoint) override;
  void unbind(const model::Address& full, const api::Endpoint* endpoint) override;
  void set_flags(const model::Address& full, api::EndpointFlags flags) override;
  bool is_bound(const model::Address& full) const override;
  void send_message(model::Message message) override;
  void send_presence(model::Presence presence) override;
  void roster_get(const model::Address& user,
                  std::function<void(api::RosterSnapshot)> done) override;
  void roster_set(const model::Address& user, model::RosterItem item,
                  api::ErrorCallback done) override;
  void roster_remove(const model::Address& user, const model::Address& contact,
                     api::ErrorCallback done) override;
  void block_list(const model::Address& user,
                  std::function<void(std::vector<model::Address>)> done) override;
  void block(const model::Address& user, std::vector<model::Address> items,
             api::ErrorCallback done) override;
  void unblock(const model::Address& user, std::vector<model::Address> items,
               api::ErrorCallback done) override;
  void send_opaque(api::OpaqueDelivery stanza, api::ErrorCallback done) override;
  bool account_exists(const model::Address& bare) const override;
  bool watch_presence(const model::Address& watcher_full, const model::Address& target) override;
  void unwatch_presence(const model::Address& watcher_full, const model::Address& target) override;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace parley::core
