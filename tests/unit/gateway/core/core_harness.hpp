#pragma once
// Shared set-up for the core's unit tests: in-memory stores, an inline store executor (every
// store job completes inside the call, so tests read like transcripts), a fixed clock and
// predictable stanza ids.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/core_service.hpp"
#include "tests/fakes/memory_stores.hpp"

namespace parley::core::testing {

inline model::Address addr(std::string_view text) {
  auto parsed = model::Address::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : model::Address{};
}

inline const model::Timestamp kNow =
    model::Timestamp{} + std::chrono::hours(24 * 365 * 50);  // a fixed, non-zero "now"

class CoreHarness : public ::testing::Test {
 protected:
  CoreHarness() : CoreHarness(CoreConfig{}) {}
  explicit CoreHarness(CoreConfig config)
      : executor_(stores_),
        core_(std::make_unique<CoreService>(
            std::move(config), executor_, [this] { return now_; },
            [this] { return "sid-" + std::to_string(++ids_); })) {}

  CoreService& core() { return *core_; }

  // Creates the account in the store (and tells the core, like the admin path does).
  void create_account(std::string_view bare) {
    stores_.accounts.create(addr(bare), api::Credentials{});
    core().note_account_created(addr(bare));
  }

  std::shared_ptr<fakes::RecordingEndpoint> bind(std::string_view full,
                                                 api::EndpointFlags flags = {}) {
    auto endpoint = std::make_shared<fakes::RecordingEndpoint>();
    api::SessionInfo info{addr(full), model::Protocol::xmpp, std::string(full)};
    auto error = core().bind(info, endpoint);
    EXPECT_FALSE(error.has_value()) << full;
    core().set_flags(addr(full), flags);
    return endpoint;
  }

  // Binds and sends initial presence with `priority`.
  std::shared_ptr<fakes::RecordingEndpoint> login(std::string_view full, int priority = 0,
                                                  api::EndpointFlags flags = {}) {
    auto endpoint = bind(full, flags);
    available(full, priority);
    return endpoint;
  }

  void available(std::string_view full, int priority = 0, std::string status = {}) {
    model::Presence presence;
    presence.from = addr(full);
    presence.priority = static_cast<std::int8_t>(priority);
    presence.status = std::move(status);
    core().send_presence(presence);
  }

  void presence_to(std::string_view from, std::string_view to, model::PresenceType type) {
    model::Presence presence;
    presence.from = addr(from);
    if (!to.empty()) presence.to = addr(to);  // empty: broadcast
    presence.type = type;
    core().send_presence(presence);
  }

  void send(std::string_view from, std::string_view to, std::string body,
            model::MessageType type = model::MessageType::chat) {
    model::Message message;
    message.id = "m" + std::to_string(++message_ids_);
    message.from = addr(from);
    message.to = addr(to);
    message.type = type;
    message.body = std::move(body);
    core().send_message(std::move(message));
  }

  std::optional<model::StanzaError> roster_set(std::string_view user, model::RosterItem item) {
    std::optional<model::StanzaError> result =
        model::StanzaError::make(model::ErrorCondition::undefined_condition, "callback not run");
    core().roster_set(addr(user), std::move(item),
                      [&](std::optional<model::StanzaError> e) { result = std::move(e); });
    return result;
  }

  api::RosterSnapshot roster_get(std::string_view user) {
    api::RosterSnapshot snapshot;
    bool called = false;
    core().roster_get(addr(user), [&](api::RosterSnapshot s) {
      snapshot = std::move(s);
      called = true;
    });
    EXPECT_TRUE(called);
    return snapshot;
  }

  std::optional<model::RosterItem> stored_item(std::string_view user, std::string_view contact) {
    return stores_.rosters.item(addr(user), addr(contact));
  }

  fakes::MemoryStores stores_;
  fakes::InlineStoreExecutor executor_;
  model::Timestamp now_ = kNow;
  int ids_ = 0;
  int message_ids_ = 0;
  std::unique_ptr<CoreService> core_;
};

}  // namespace parley::core::testing
