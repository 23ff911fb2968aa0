#pragma once
// 1:1 message routing (RFC 6121 §8.5) with block lists (XEP-0191), offline storage and
// carbons (XEP-0280). The fast path (known recipient, block lists cached) runs on the calling
// thread under shard locks only; anything else takes one store job and continues from there.
#include <memory>
#include <optional>

#include "gateway/core/core_context.hpp"
#include "gateway/core/offline_delivery.hpp"
#include "mapping/model/message.hpp"

namespace parley::core {

class MessageRouter {
 public:
  MessageRouter(CoreContext& ctx, OfflineDelivery& offline) : ctx_(ctx), offline_(offline) {}

  void send(model::Message message);

 private:
  struct Context {  // how this message reached route()
    bool recipient_exists = false;
    bool redelivery = false;  // stamped before: a session hands back what it could not deliver
    // The fast path's block check (both directions, read once); the slow path reads the
    // lists it just loaded in route().
    std::optional<BlockCache::Verdict> blocking;
  };
  void route(std::shared_ptr<const model::Message> message, Context context);
  void route_to_bare(const std::shared_ptr<const model::Message>& message, Context context);
  void deliver(const std::shared_ptr<const model::Message>& message,
               const std::vector<EndpointView>& targets, Context context);
  void send_carbons(const std::shared_ptr<const model::Message>& message,
                    const std::vector<EndpointView>& targets);
  // Records an archivable message in both parties' archives (XEP-0313), if archiving is on.
  void archive(const std::shared_ptr<const model::Message>& message);

  CoreContext& ctx_;
  OfflineDelivery& offline_;
};

// XEP-0280 §6: chat messages, and normal messages with a body, unless marked private.
bool carbons_eligible(const model::Message& message);
// XEP-0313 user archives: chat and normal messages with a body.
bool archivable(const model::Message& message);

}  // namespace parley::core
