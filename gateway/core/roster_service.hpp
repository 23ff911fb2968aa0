#pragma once
// Roster management (RFC 6121 §2): get with the shared department groups merged in, set and
// remove with pushes to every interested resource. Each request is one store job.
#include <functional>
#include <optional>

#include "gateway/api/core.hpp"
#include "gateway/core/core_context.hpp"
#include "gateway/core/subscription_service.hpp"

namespace parley::core {

class RosterService {
 public:
  RosterService(CoreContext& ctx, SubscriptionService& subscriptions)
      : ctx_(ctx), subscriptions_(subscriptions) {}

  void get(const model::Address& user, std::function<void(api::RosterSnapshot)> done);
  void set(const model::Address& user, model::RosterItem item, api::ErrorCallback done);
  void remove(const model::Address& user, const model::Address& contact, api::ErrorCallback done);

 private:
  CoreContext& ctx_;
  SubscriptionService& subscriptions_;
};

// The roster a client sees: stored items (minus bare inbound requests, which are not roster
// entries yet) with shared groups added, plus every colleague as a `both` item.
std::vector<model::RosterItem> merge_shared_roster(const DirectorySnapshot& directory,
                                                   const model::Address& user,
                                                   std::vector<model::RosterItem> stored);

// RFC 6121 §2.3.3 / §2.1.2: problems of a roster set, before any store access.
std::optional<model::StanzaError> validate_roster_item(const model::Address& user,
                                                       const model::RosterItem& item);

}  // namespace parley::core
