#pragma once
// Delivery helpers shared by the services. Every helper takes copies (views) from the
// endpoint table and delivers after its shard lock is released.
#include <cstdint>
#include <memory>
#include <vector>

#include "gateway/api/endpoint.hpp"
#include "gateway/core/core_context.hpp"
#include "mapping/model/message.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/model/roster.hpp"

namespace parley::core {

void deliver_to(const std::vector<EndpointView>& targets, const api::Delivery& delivery);

// RFC 6120 §8.3.1: the error goes back to the sender, with to/from swapped and the same id.
// Errors are never answered with errors (RFC 6120 §8.3.1, RFC 6121 §8.5).
void reply_message_error(CoreContext& ctx, const model::Message& original,
                         model::ErrorCondition condition, std::string text = {});

// A presence stanza of `type` from `from` to `to` (subscription replies, unavailable notices).
std::shared_ptr<const model::Presence> make_presence(const model::Address& from,
                                                     const model::Address& to,
                                                     model::PresenceType type);

// RFC 6121 §2.1.6: a roster push to every interested resource of `user`.
void push_roster(CoreContext& ctx, const model::Address& user, const model::RosterItem& item,
                 bool removed, std::uint64_t version);

// The current presence of each available endpoint of `contact`, to `targets`
// (RFC 6121 §3.1.5 after a subscription is approved, §4.3.2 probe answers).
void send_presences_of(CoreContext& ctx, const model::Address& contact,
                       const std::vector<EndpointView>& targets);
// Unavailable presence from each available endpoint of `contact` to `targets`
// (RFC 6121 §3.2.3 / §3.3.3 after a subscription is cancelled, XEP-0191 §3.3 on block).
void send_unavailable_of(CoreContext& ctx, const model::Address& contact,
                         const std::vector<EndpointView>& targets);

// `watcher`'s view of `target`'s presence changed from had_to to has_to: start or stop it.
// Colleagues always see each other, so nothing changes for them.
void apply_presence_access_change(CoreContext& ctx, const model::Address& watcher,
                                  const model::Address& target, bool had_to, bool has_to);

bool has_to(model::SubscriptionState state);    // to or both: watcher sees the contact
bool has_from(model::SubscriptionState state);  // from or both: the contact sees the user

}  // namespace parley::core
