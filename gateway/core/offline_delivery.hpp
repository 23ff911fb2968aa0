#pragma once
// Offline storage (RFC 6121 §8.5.2.2.1) and its delivery on initial presence (XEP-0160):
// stored messages keep their original stamp and go out with delayed = true (XEP-0203).
#include <memory>

#include "gateway/core/core_context.hpp"
#include "mapping/model/message.hpp"

namespace parley::core {

class OfflineDelivery {
 public:
  explicit OfflineDelivery(CoreContext& ctx) : ctx_(ctx) {}

  // Stores the message for its (existing) recipient, or answers service-unavailable to the
  // sender when the account already holds max_offline_messages_per_account.
  void store(std::shared_ptr<const model::Message> message);
  // Takes every stored message of the endpoint's account and delivers it to that endpoint.
  void flush_to(const EndpointView& endpoint);

 private:
  // A message stored while the recipient was becoming available: deliver to the best resources.
  void flush_to_best(const model::Address& user);
  void deliver_or_restore(const model::Address& user, std::vector<model::Message> messages,
                          const std::vector<EndpointView>& targets);
  void restore(std::vector<model::Message> messages);

  CoreContext& ctx_;
};

// RFC 6121 §8.5.2.1.1: the available resources with the highest non-negative priority.
std::vector<EndpointView> best_resources(const std::vector<EndpointView>& available);

}  // namespace parley::core
