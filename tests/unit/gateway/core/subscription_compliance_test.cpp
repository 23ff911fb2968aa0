// Issue 6: im.subscription events are appended in the store job that runs the RFC 6121 §3
// handshake (and so writes the rosters).
#include <gtest/gtest.h>

#include <mutex>

#include "gateway/api/compliance.hpp"
#include "tests/fakes/recording_outbox.hpp"
#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

using fakes::RecordingOutbox;

using model::PresenceType;

class SubscriptionComplianceTest : public CoreHarness {
 protected:
  void use(bool record) {
    api::ComplianceSettings settings;
    settings.enabled = true;
    settings.kinds[static_cast<std::size_t>(api::ComplianceEventKind::subscription)] = record;
    core_ = std::make_unique<CoreService>(
        CoreConfig{}, executor_, [this] { return now_; },
        [this] { return "sid-" + std::to_string(++ids_); }, nullptr,
        api::ComplianceRecorder{settings, &outbox_});
    create_account("alice@localhost");
    create_account("bob@localhost");
    // The core accepts presence only from bound sessions.
    alice_ = login("alice@localhost/desk");
    bob_ = login("bob@localhost/phone");
  }
  std::shared_ptr<fakes::RecordingEndpoint> alice_;
  std::shared_ptr<fakes::RecordingEndpoint> bob_;
  RecordingOutbox outbox_;
};

TEST_F(SubscriptionComplianceTest, EachHandshakeStepIsRecorded) {
  use(true);
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribed);
  const auto events = outbox_.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, api::ComplianceEventKind::subscription);
  EXPECT_EQ(events[0].actor.account, addr("alice@localhost"));
  EXPECT_EQ(events[0].actor.endpoint, "alice@localhost/desk");
  EXPECT_EQ(events[0].peer, addr("bob@localhost"));
  EXPECT_EQ(events[0].time, kNow);
  ASSERT_EQ(events[0].details.size(), 1u);
  EXPECT_EQ(events[0].details[0], (std::pair<std::string, std::string>{"type", "subscribe"}));
  EXPECT_EQ(events[1].actor.account, addr("bob@localhost"));
  EXPECT_EQ(events[1].details[0].second, "subscribed");
}

TEST_F(SubscriptionComplianceTest, NothingWhenTheKindIsOff) {
  use(false);
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  EXPECT_EQ(stored_item("alice@localhost", "bob@localhost")->state,
            model::SubscriptionState::none_pending_out);
  EXPECT_TRUE(outbox_.events().empty());
}

}  // namespace
}  // namespace parley::core::testing
