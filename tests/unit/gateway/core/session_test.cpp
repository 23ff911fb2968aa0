// Endpoints: bind conflicts and limits, unbind broadcasts, directed presence, opaque stanzas.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

using model::ErrorCondition;
using model::PresenceType;

std::size_t count(const fakes::RecordingEndpoint& e, PresenceType type, std::string_view from) {
  auto presences = e.presences();
  return std::count_if(presences.begin(), presences.end(), [&](const model::Presence& p) {
    return p.type == type && p.from == addr(from);
  });
}

class SessionTest : public CoreHarness {
 protected:
  SessionTest() : CoreHarness(config()) {}
  static CoreConfig config() {
    CoreConfig c;
    c.max_sessions_per_account = 2;
    return c;
  }
  void SetUp() override {
    create_account("alice@localhost");
    create_account("bob@localhost");
  }
  void subscribe_both() {
    presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
    presence_to("bob@localhost/pc", "alice@localhost", PresenceType::subscribed);
    presence_to("bob@localhost/pc", "alice@localhost", PresenceType::subscribe);
    presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribed);
  }
};

TEST_F(SessionTest, SameFullAddressReplacesTheOldEndpointWithConflict) {
  auto old_one = login("alice@localhost/desk");
  auto new_one = bind("alice@localhost/desk");
  auto closes = old_one->of<api::CloseRequest>();
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].reason, api::CloseReason::conflict);
  EXPECT_TRUE(core().is_bound(addr("alice@localhost/desk")));
  // The old session's late unbind does not remove the new one.
  core().unbind(addr("alice@localhost/desk"), old_one.get());
  EXPECT_TRUE(core().is_bound(addr("alice@localhost/desk")));
  send("bob@localhost/x", "alice@localhost/desk", "hi");
  EXPECT_EQ(new_one->messages().size(), 1u);
  EXPECT_TRUE(old_one->messages().empty());
}

TEST_F(SessionTest, MaxSessionsPerAccountIsEnforced) {
  bind("alice@localhost/one");
  bind("alice@localhost/two");
  auto endpoint = std::make_shared<fakes::RecordingEndpoint>();
  auto error = core().bind({addr("alice@localhost/three"), model::Protocol::xmpp, "s"}, endpoint);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->condition, ErrorCondition::resource_constraint);
  EXPECT_FALSE(core().is_bound(addr("alice@localhost/three")));
  // Replacing an existing resource is still allowed at the limit.
  EXPECT_FALSE(core().bind({addr("alice@localhost/two"), model::Protocol::xmpp, "s"}, endpoint));
}

TEST_F(SessionTest, BindRejectsBareAndRemoteAddresses) {
  auto endpoint = std::make_shared<fakes::RecordingEndpoint>();
  EXPECT_TRUE(core().bind({addr("alice@localhost"), model::Protocol::xmpp, "s"}, endpoint));
  EXPECT_TRUE(core().bind({addr("alice@remote.example/r"), model::Protocol::xmpp, "s"}, endpoint));
}

TEST_F(SessionTest, UnbindBroadcastsUnavailableToContactsAndOwnResources) {
  auto alice = login("alice@localhost/desk");
  auto alice_phone = login("alice@localhost/phone");
  auto bob = login("bob@localhost/pc");
  subscribe_both();
  bob->clear();
  alice_phone->clear();
  core().unbind(addr("alice@localhost/desk"), alice.get());
  EXPECT_FALSE(core().is_bound(addr("alice@localhost/desk")));
  EXPECT_EQ(count(*bob, PresenceType::unavailable, "alice@localhost/desk"), 1u);
  EXPECT_EQ(count(*alice_phone, PresenceType::unavailable, "alice@localhost/desk"), 1u);
}

TEST_F(SessionTest, UnbindOfUnavailableEndpointIsSilent) {
  auto alice = bind("alice@localhost/desk");
  auto bob = login("bob@localhost/pc");
  subscribe_both();
  bob->clear();
  core().unbind(addr("alice@localhost/desk"), alice.get());
  EXPECT_TRUE(bob->presences().empty());
}

TEST_F(SessionTest, ExplicitUnavailableBroadcastsAndStopsBareRouting) {
  auto alice = login("alice@localhost/desk");
  auto bob = login("bob@localhost/pc");
  subscribe_both();
  bob->clear();
  presence_to("alice@localhost/desk", "", PresenceType::unavailable);
  EXPECT_EQ(count(*bob, PresenceType::unavailable, "alice@localhost/desk"), 1u);
  send("bob@localhost/pc", "alice@localhost", "stored");
  EXPECT_TRUE(alice->messages().empty());
  EXPECT_EQ(stores_.offline.count(addr("alice@localhost")), 1u);
}

TEST_F(SessionTest, DirectedPresenceIsRememberedAndRevokedOnUnbind) {
  auto alice = login("alice@localhost/desk");
  auto bob = login("bob@localhost/pc");  // not subscribed to alice
  bob->clear();
  presence_to("alice@localhost/desk", "bob@localhost/pc", PresenceType::available);
  EXPECT_EQ(count(*bob, PresenceType::available, "alice@localhost/desk"), 1u);
  core().unbind(addr("alice@localhost/desk"), alice.get());
  // RFC 6121 §4.6.3: the directed recipient learns alice left.
  EXPECT_EQ(count(*bob, PresenceType::unavailable, "alice@localhost/desk"), 1u);
}

TEST_F(SessionTest, DirectedUnavailableForgetsTheRecipient) {
  auto alice = login("alice@localhost/desk");
  auto bob = login("bob@localhost/pc");
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::available);
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::unavailable);
  EXPECT_EQ(count(*bob, PresenceType::unavailable, "alice@localhost/desk"), 1u);
  core().unbind(addr("alice@localhost/desk"), alice.get());
  EXPECT_EQ(count(*bob, PresenceType::unavailable, "alice@localhost/desk"), 1u);  // no second
}

TEST_F(SessionTest, DirectedPresenceToASubscriberIsNotTracked) {
  auto alice = login("alice@localhost/desk");
  auto bob = login("bob@localhost/pc");
  subscribe_both();
  presence_to("alice@localhost/desk", "bob@localhost/pc", PresenceType::available);
  presence_to("alice@localhost/desk", "", PresenceType::unavailable);
  bob->clear();
  core().unbind(addr("alice@localhost/desk"), alice.get());
  EXPECT_TRUE(bob->presences().empty());  // nothing left to revoke
}

TEST_F(SessionTest, OpaqueStanzasNeedTheSameProtocol) {
  auto bob = bind("bob@localhost/pc");
  auto sip = std::make_shared<fakes::RecordingEndpoint>();
  ASSERT_FALSE(core().bind({addr("bob@localhost/sip"), model::Protocol::sip, "s"}, sip));
  std::optional<model::StanzaError> result = model::StanzaError::make(ErrorCondition::conflict);
  api::OpaqueDelivery stanza{model::Protocol::xmpp, addr("alice@localhost/desk"),
                             addr("bob@localhost/pc"), "<iq/>"};
  core().send_opaque(stanza, [&](auto e) { result = e; });
  EXPECT_FALSE(result.has_value());
  ASSERT_EQ(bob->count<api::OpaqueDelivery>(), 1u);
  EXPECT_EQ(bob->of<api::OpaqueDelivery>()[0].data, "<iq/>");
  stanza.to = addr("bob@localhost/sip");
  core().send_opaque(stanza, [&](auto e) { result = e; });
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->condition, ErrorCondition::service_unavailable);
  stanza.to = addr("bob@localhost/none");
  result.reset();
  core().send_opaque(stanza, [&](auto e) { result = e; });
  EXPECT_TRUE(result.has_value());
}

TEST_F(SessionTest, AccountRemovalClosesItsSessions) {
  auto alice = bind("alice@localhost/desk");
  core().note_account_removed(addr("alice@localhost"));
  auto closes = alice->of<api::CloseRequest>();
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].reason, api::CloseReason::account_removed);
  EXPECT_FALSE(core().account_exists(addr("alice@localhost")) &&
               !stores_.accounts.exists(addr("alice@localhost")));
}

}  // namespace
}  // namespace parley::core::testing

namespace parley::core::testing {

class AccountReloadTest : public CoreHarness {};

// parleyctl removes accounts in the database from another process; the daemon's reload
// (SIGHUP -> load_accounts) must forget them and end their sessions, keeping everyone else.
TEST_F(AccountReloadTest, ReloadEndsSessionsOfAccountsRemovedFromTheStore) {
  create_account("alice@localhost");
  create_account("bob@localhost");
  auto alice = login("alice@localhost/desk");
  auto bob = login("bob@localhost/desk");
  ASSERT_TRUE(core().account_exists(addr("alice@localhost")));

  ASSERT_TRUE(stores_.accounts.remove(addr("alice@localhost")));
  core().load_accounts();

  auto closes = alice->of<api::CloseRequest>();
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].reason, api::CloseReason::account_removed);
  EXPECT_FALSE(core().account_exists(addr("alice@localhost")));
  EXPECT_TRUE(bob->of<api::CloseRequest>().empty());
  EXPECT_TRUE(core().account_exists(addr("bob@localhost")));
}

}  // namespace parley::core::testing
