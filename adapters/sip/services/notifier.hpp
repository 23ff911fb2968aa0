#pragma once
// NOTIFY for the presence event package (RFC 3856 §6.6, RFC 6665 §4.2.2): builds the in-dialog
// request from a Watch (route set, tags, CSeq), the Subscription-State header and the PIDF body
// (mapping/sip/pidf.hpp) for the watched account's aggregated presence, and sends it as a
// client transaction. A NOTIFY answered 481, or not answered at all, ends the subscription
// (RFC 6665 §4.2.2); the callback reports that.
#include <functional>
#include <optional>
#include <string>

#include "adapters/sip/services/services_context.hpp"

namespace parley::sip {

enum class NotifyState { pending, active, terminated };

struct NotifyContent {
  NotifyState state = NotifyState::active;
  std::string reason;  // for terminated: "timeout", "rejected", "noresource", "deactivated"
  std::optional<model::Presence> presence;  // body (active only)
};

// The presence a watcher should see for `contact`: the available resource with the highest
// priority (the first on a tie), else unavailable. `resources` may be empty (unknown).
model::Presence aggregate_presence(const std::map<model::Address, model::Presence>& resources);

// Sends one NOTIFY for `watch` (incrementing its CSeq). When `skip_same` and the body equals
// the last one sent, nothing is sent (the core may tell us the same state twice).
// `on_failure` runs on the strand when the subscriber rejected it (481, other 4xx-6xx).
void send_notify(ServicesContext& ctx, Watch& watch, const NotifyContent& content, bool skip_same,
                 std::function<void()> on_failure);

}  // namespace parley::sip
