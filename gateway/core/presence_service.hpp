#pragma once
// Availability presence (RFC 6121 §4): broadcast, initial-presence probes, directed presence
// and its tracking, client probes, and the unavailable broadcast when an endpoint goes away.
// The endpoint's own state changes at once (the message path sees it immediately); the fan-out
// reads the roster on the store thread, so it is ordered with every roster change.
#include "gateway/core/core_context.hpp"
#include "gateway/core/offline_delivery.hpp"
#include "mapping/model/presence.hpp"

namespace parley::core {

class PresenceService {
 public:
  PresenceService(CoreContext& ctx, OfflineDelivery& offline) : ctx_(ctx), offline_(offline) {}

  // Any non-subscription presence from a bound endpoint (presence.from is its full address).
  void send(model::Presence presence);
  // The endpoint left the table (unbind or conflict): RFC 6121 §4.5.2 / §4.6.3.
  void on_removed(const RemovedEndpoint& removed);

 private:
  void broadcast_available(const model::Presence& presence);
  void broadcast_unavailable(std::shared_ptr<const model::Presence> presence,
                             std::vector<model::Address> directed);
  void send_directed(model::Presence presence);
  void answer_probe(const model::Presence& probe);

  CoreContext& ctx_;
  OfflineDelivery& offline_;
};

}  // namespace parley::core
