#pragma once
// Shared helpers for the compliance tests: events with distinct fields, and a condition wait
// with a bounded timeout (no sleeps for synchronisation).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/api/compliance.hpp"
#include "gateway/core/compliance/compliance_json.hpp"
#include "mapping/model/address.hpp"

namespace parley::compliance_testing {

inline model::Address addr(std::string_view text) {
  auto address = model::Address::parse(text);
  if (!address) ADD_FAILURE() << "bad test address " << text << ": " << address.error();
  return address ? std::move(address).value() : model::Address{};
}

// Event number n: every field set and distinct, times microsecond-exact.
inline api::ComplianceEvent make_event(int n) {
  api::ComplianceEvent event;
  event.id = api::new_compliance_id();
  event.time = core::compliance::from_micros(1'714'564'800'000'000 + n * 1'000'001LL);
  event.kind =
      n % 2 == 0 ? api::ComplianceEventKind::room_post : api::ComplianceEventKind::role_change;
  event.actor.account = addr("alice@example.com");
  event.actor.protocol = model::Protocol::xmpp;
  event.actor.endpoint = "alice@example.com/phone";
  event.room = "room-" + std::to_string(n % 3);
  event.peer = addr("bob@example.com/desk");
  event.content = "message " + std::to_string(n);
  event.message_id = "m" + std::to_string(n);
  event.details = {{"role", "moderator"}, {"n", std::to_string(n)}};
  return event;
}

// Polls `condition` (cheap, thread-safe) until true or `limit`; a test waits on an observable
// outcome, never a fixed delay.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace parley::compliance_testing
