// RFC 6121 §3: the subscription handshake between two local users, transcript style.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

using model::PresenceType;
using model::SubscriptionState;

class SubscriptionTest : public CoreHarness {
 protected:
  void SetUp() override {
    create_account("alice@localhost");
    create_account("bob@localhost");
  }
  std::shared_ptr<fakes::RecordingEndpoint> online(std::string_view full) {
    return login(full, 0, interested_);
  }
  static std::size_t count(const fakes::RecordingEndpoint& e, PresenceType type,
                           std::string_view from) {
    auto presences = e.presences();
    return std::count_if(presences.begin(), presences.end(), [&](const model::Presence& p) {
      return p.type == type && p.from == addr(from);
    });
  }
  static SubscriptionState last_push_state(const fakes::RecordingEndpoint& e) {
    auto pushes = e.roster_pushes();
    EXPECT_FALSE(pushes.empty());
    return pushes.empty() ? SubscriptionState::none : pushes.back().item.state;
  }
  api::EndpointFlags interested_{.roster_interested = true};
};

TEST_F(SubscriptionTest, FullHandshakeBothOnline) {
  auto alice = online("alice@localhost/desk");
  auto bob = online("bob@localhost/phone");
  alice->clear();
  bob->clear();

  // §3.1.1-3.1.3: alice asks.
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  ASSERT_EQ(alice->roster_pushes().size(), 1u);
  EXPECT_EQ(alice->roster_pushes()[0].item.jid, addr("bob@localhost"));
  EXPECT_EQ(alice->roster_pushes()[0].item.state, SubscriptionState::none_pending_out);
  EXPECT_GT(alice->roster_pushes()[0].version, 0u);
  EXPECT_EQ(count(*bob, PresenceType::subscribe, "alice@localhost"), 1u);  // from the bare
  EXPECT_TRUE(bob->roster_pushes().empty());  // pending-in is not a roster change
  EXPECT_EQ(stored_item("bob@localhost", "alice@localhost")->state,
            SubscriptionState::none_pending_in);

  // §3.1.4-3.1.5: bob approves.
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribed);
  ASSERT_EQ(bob->roster_pushes().size(), 1u);
  EXPECT_EQ(bob->roster_pushes()[0].item.state, SubscriptionState::from);
  ASSERT_EQ(alice->roster_pushes().size(), 2u);
  EXPECT_EQ(alice->roster_pushes()[1].item.state, SubscriptionState::to);
  EXPECT_EQ(count(*alice, PresenceType::subscribed, "bob@localhost"), 1u);
  EXPECT_EQ(count(*alice, PresenceType::available, "bob@localhost/phone"), 1u);

  // Presence now flows bob -> alice only.
  alice->clear();
  bob->clear();
  available("bob@localhost/phone", 0, "busy");
  ASSERT_EQ(count(*alice, PresenceType::available, "bob@localhost/phone"), 1u);
  EXPECT_EQ(alice->presences().back().status, "busy");
  available("alice@localhost/desk", 0, "here");
  EXPECT_EQ(count(*bob, PresenceType::available, "alice@localhost/desk"), 0u);

  // §3.3: alice unsubscribes; bob loses "from", alice sees bob go away.
  alice->clear();
  bob->clear();
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::unsubscribe);
  EXPECT_EQ(last_push_state(*alice), SubscriptionState::none);
  EXPECT_EQ(last_push_state(*bob), SubscriptionState::none);
  EXPECT_EQ(count(*bob, PresenceType::unsubscribe, "alice@localhost"), 1u);
  EXPECT_EQ(count(*alice, PresenceType::unavailable, "bob@localhost/phone"), 1u);
}

TEST_F(SubscriptionTest, MutualSubscriptionAndCancellation) {
  auto alice = online("alice@localhost/desk");
  auto bob = online("bob@localhost/phone");
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribed);
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribe);
  EXPECT_EQ(count(*alice, PresenceType::subscribe, "bob@localhost"), 1u);
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribed);
  EXPECT_EQ(stored_item("alice@localhost", "bob@localhost")->state, SubscriptionState::both);
  EXPECT_EQ(stored_item("bob@localhost", "alice@localhost")->state, SubscriptionState::both);
  EXPECT_EQ(count(*bob, PresenceType::available, "alice@localhost/desk"), 1u);

  // §3.2: bob cancels alice's subscription to him.
  alice->clear();
  bob->clear();
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::unsubscribed);
  EXPECT_EQ(stored_item("bob@localhost", "alice@localhost")->state, SubscriptionState::to);
  EXPECT_EQ(stored_item("alice@localhost", "bob@localhost")->state, SubscriptionState::from);
  EXPECT_EQ(count(*alice, PresenceType::unsubscribed, "bob@localhost"), 1u);
  EXPECT_EQ(count(*alice, PresenceType::unavailable, "bob@localhost/phone"), 1u);
  EXPECT_EQ(last_push_state(*alice), SubscriptionState::from);
  EXPECT_EQ(last_push_state(*bob), SubscriptionState::to);
}

TEST_F(SubscriptionTest, PendingRequestIsDeliveredAtNextLogin) {
  auto alice = online("alice@localhost/desk");
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  auto bob = bind("bob@localhost/phone", interested_);
  EXPECT_EQ(count(*bob, PresenceType::subscribe, "alice@localhost"), 0u);  // not available yet
  // The request is not a roster entry of bob's yet.
  EXPECT_TRUE(roster_get("bob@localhost").items.empty());
  available("bob@localhost/phone");
  EXPECT_EQ(count(*bob, PresenceType::subscribe, "alice@localhost"), 1u);
  // And again at every initial presence until answered.
  core().unbind(addr("bob@localhost/phone"), bob.get());
  auto bob2 = online("bob@localhost/tablet");
  EXPECT_EQ(count(*bob2, PresenceType::subscribe, "alice@localhost"), 1u);
  presence_to("bob@localhost/tablet", "alice@localhost", PresenceType::subscribed);
  EXPECT_EQ(stored_item("alice@localhost", "bob@localhost")->state, SubscriptionState::to);
  EXPECT_EQ(count(*alice, PresenceType::available, "bob@localhost/tablet"), 1u);
  auto bob3 = online("bob@localhost/laptop");
  EXPECT_EQ(count(*bob3, PresenceType::subscribe, "alice@localhost"), 0u);
}

TEST_F(SubscriptionTest, PreApprovalAnswersTheLaterRequest) {
  auto alice = online("alice@localhost/desk");
  auto bob = online("bob@localhost/phone");
  bob->clear();
  // §3.4: bob approves before alice asks; alice hears nothing yet.
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribed);
  EXPECT_EQ(count(*alice, PresenceType::subscribed, "bob@localhost"), 0u);
  auto item = stored_item("bob@localhost", "alice@localhost");
  ASSERT_TRUE(item.has_value());
  EXPECT_TRUE(item->approved);
  EXPECT_EQ(item->state, SubscriptionState::none);
  ASSERT_EQ(bob->roster_pushes().size(), 1u);
  EXPECT_TRUE(bob->roster_pushes()[0].item.approved);

  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  EXPECT_EQ(count(*bob, PresenceType::subscribe, "alice@localhost"), 0u);  // not bothered
  EXPECT_EQ(count(*alice, PresenceType::subscribed, "bob@localhost"), 1u);
  EXPECT_EQ(stored_item("alice@localhost", "bob@localhost")->state, SubscriptionState::to);
  item = stored_item("bob@localhost", "alice@localhost");
  EXPECT_EQ(item->state, SubscriptionState::from);
  EXPECT_FALSE(item->approved);
  EXPECT_EQ(last_push_state(*bob), SubscriptionState::from);
  EXPECT_EQ(last_push_state(*alice), SubscriptionState::to);
  EXPECT_EQ(count(*alice, PresenceType::available, "bob@localhost/phone"), 1u);
}

TEST_F(SubscriptionTest, RepeatedSubscribeIsAnsweredAutomatically) {
  auto alice = online("alice@localhost/desk");
  auto bob = online("bob@localhost/phone");
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribed);
  alice->clear();
  bob->clear();
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  EXPECT_EQ(count(*alice, PresenceType::subscribed, "bob@localhost"), 1u);  // §3.1.3 rule 3
  EXPECT_EQ(count(*bob, PresenceType::subscribe, "alice@localhost"), 0u);
  EXPECT_TRUE(bob->roster_pushes().empty());
}

TEST_F(SubscriptionTest, SubscribeToUnknownAccountIsAnsweredUnsubscribed) {
  auto alice = online("alice@localhost/desk");
  presence_to("alice@localhost/desk", "ghost@localhost", PresenceType::subscribe);
  EXPECT_EQ(count(*alice, PresenceType::unsubscribed, "ghost@localhost"), 1u);
  auto item = stored_item("alice@localhost", "ghost@localhost");
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->state, SubscriptionState::none);
  EXPECT_FALSE(stored_item("ghost@localhost", "alice@localhost").has_value());
}

TEST_F(SubscriptionTest, ProbeAnswersOnlyWhenSubscribed) {
  auto alice = online("alice@localhost/desk");
  auto bob = online("bob@localhost/phone");
  alice->clear();
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::probe);
  EXPECT_TRUE(alice->presences().empty());
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribed);
  alice->clear();
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::probe);
  EXPECT_EQ(count(*alice, PresenceType::available, "bob@localhost/phone"), 1u);
  core().unbind(addr("bob@localhost/phone"), bob.get());
  alice->clear();
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::probe);
  EXPECT_EQ(count(*alice, PresenceType::unavailable, "bob@localhost"), 1u);
}

TEST_F(SubscriptionTest, InitialPresenceProbesSubscribedContacts) {
  auto bob = online("bob@localhost/phone");
  auto alice = online("alice@localhost/desk");
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribed);
  core().unbind(addr("alice@localhost/desk"), alice.get());
  auto again = online("alice@localhost/laptop");
  EXPECT_EQ(count(*again, PresenceType::available, "bob@localhost/phone"), 1u);
  // Its own initial presence comes back to it (RFC 6121 §4.2.2).
  EXPECT_EQ(count(*again, PresenceType::available, "alice@localhost/laptop"), 1u);
}

}  // namespace
}  // namespace parley::core::testing
