// RFC 6121 §2 roster management and the shared department groups.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

using model::ErrorCondition;
using model::PresenceType;
using model::SubscriptionState;

model::RosterItem item(std::string_view jid, std::string name = {},
                       std::vector<std::string> groups = {}) {
  model::RosterItem i;
  i.jid = addr(jid);
  i.name = std::move(name);
  i.groups = std::move(groups);
  return i;
}

const model::RosterItem* find(const std::vector<model::RosterItem>& items, std::string_view jid) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const model::RosterItem& i) { return i.jid == addr(jid); });
  return it == items.end() ? nullptr : &*it;
}

class RosterTest : public CoreHarness {
 protected:
  void SetUp() override {
    create_account("alice@localhost");
    create_account("bob@localhost");
    desk_ = bind("alice@localhost/desk", interested_);
    phone_ = bind("alice@localhost/phone", interested_);
    other_ = bind("alice@localhost/other");  // never asked for the roster
  }
  api::EndpointFlags interested_{.roster_interested = true};
  std::shared_ptr<fakes::RecordingEndpoint> desk_, phone_, other_;
};

TEST_F(RosterTest, SetStoresAndPushesToEveryInterestedResource) {
  EXPECT_FALSE(roster_set("alice@localhost/desk", item("bob@localhost", "Bob", {"Friends"})));
  for (const auto& endpoint : {desk_, phone_}) {
    ASSERT_EQ(endpoint->roster_pushes().size(), 1u);
    const auto push = endpoint->roster_pushes()[0];
    EXPECT_EQ(push.item.name, "Bob");
    EXPECT_EQ(push.item.groups, std::vector<std::string>{"Friends"});
    EXPECT_EQ(push.item.state, SubscriptionState::none);
    EXPECT_FALSE(push.removed);
    EXPECT_EQ(push.version, stores_.rosters.version(addr("alice@localhost")));
  }
  EXPECT_TRUE(other_->roster_pushes().empty());
  auto snapshot = roster_get("alice@localhost");
  ASSERT_EQ(snapshot.items.size(), 1u);
  EXPECT_EQ(snapshot.items[0].name, "Bob");
  EXPECT_EQ(snapshot.version, stores_.rosters.version(addr("alice@localhost")));
}

TEST_F(RosterTest, SetKeepsTheServersSubscriptionState) {
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  auto update = item("bob@localhost", "Bobby");
  update.state = SubscriptionState::both;  // a client cannot claim this
  EXPECT_FALSE(roster_set("alice@localhost", update));
  EXPECT_EQ(stored_item("alice@localhost", "bob@localhost")->state,
            SubscriptionState::none_pending_out);
  EXPECT_EQ(stored_item("alice@localhost", "bob@localhost")->name, "Bobby");
}

TEST_F(RosterTest, SetRejectsBadItems) {
  EXPECT_EQ(roster_set("alice@localhost", item("alice@localhost"))->condition,
            ErrorCondition::not_acceptable);
  EXPECT_EQ(roster_set("alice@localhost", item("bob@localhost", "", {"a", "a"}))->condition,
            ErrorCondition::bad_request);
  EXPECT_EQ(roster_set("alice@localhost", item("bob@localhost", "", {""}))->condition,
            ErrorCondition::bad_request);
  EXPECT_EQ(roster_set("alice@localhost", item("bob@localhost", std::string(1024, 'x')))->condition,
            ErrorCondition::not_acceptable);
  EXPECT_EQ(roster_set("alice@localhost", item("bob@localhost/res"))->condition,
            ErrorCondition::bad_request);
  EXPECT_TRUE(desk_->roster_pushes().empty());
  EXPECT_TRUE(stores_.rosters.items(addr("alice@localhost")).empty());
}

TEST_F(RosterTest, RemoveUnknownIsItemNotFound) {
  std::optional<model::StanzaError> error;
  core().roster_remove(addr("alice@localhost"), addr("bob@localhost"),
                       [&](std::optional<model::StanzaError> e) { error = e; });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->condition, ErrorCondition::item_not_found);
}

TEST_F(RosterTest, RemoveCancelsBothSubscriptionsAndPushesBothSides) {
  auto bob = login("bob@localhost/phone", 0, interested_);
  available("alice@localhost/desk");
  // Mutual subscription.
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribed);
  presence_to("bob@localhost/phone", "alice@localhost", PresenceType::subscribe);
  presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribed);
  ASSERT_EQ(stored_item("bob@localhost", "alice@localhost")->state, SubscriptionState::both);
  desk_->clear();
  phone_->clear();
  bob->clear();

  std::optional<model::StanzaError> error = model::StanzaError::make(ErrorCondition::conflict);
  core().roster_remove(addr("alice@localhost"), addr("bob@localhost"),
                       [&](std::optional<model::StanzaError> e) { error = e; });
  EXPECT_FALSE(error.has_value());
  EXPECT_FALSE(stored_item("alice@localhost", "bob@localhost").has_value());
  for (const auto& endpoint : {desk_, phone_}) {
    ASSERT_EQ(endpoint->roster_pushes().size(), 1u);
    EXPECT_TRUE(endpoint->roster_pushes()[0].removed);
    EXPECT_EQ(endpoint->roster_pushes()[0].item.jid, addr("bob@localhost"));
  }
  // §2.5.2: bob's item loses both directions; he gets unsubscribe + unsubscribed.
  EXPECT_EQ(stored_item("bob@localhost", "alice@localhost")->state, SubscriptionState::none);
  ASSERT_FALSE(bob->roster_pushes().empty());
  EXPECT_EQ(bob->roster_pushes().back().item.state, SubscriptionState::none);
  auto presences = bob->presences();
  auto has = [&](PresenceType type, std::string_view from) {
    return std::any_of(presences.begin(), presences.end(), [&](const model::Presence& p) {
      return p.type == type && p.from == addr(from);
    });
  };
  EXPECT_TRUE(has(PresenceType::unsubscribe, "alice@localhost"));
  EXPECT_TRUE(has(PresenceType::unsubscribed, "alice@localhost"));
  EXPECT_TRUE(has(PresenceType::unavailable, "alice@localhost/desk"));
  auto alice_presences = desk_->presences();
  EXPECT_TRUE(std::any_of(alice_presences.begin(), alice_presences.end(), [](const auto& p) {
    return p.type == PresenceType::unavailable && p.from == addr("bob@localhost/phone");
  }));
}

class SharedGroupTest : public RosterTest {
 protected:
  void SetUp() override {
    RosterTest::SetUp();
    create_account("carol@localhost");
    create_account("dave@localhost");
    stores_.directory.create_department({"Sales", "", ""});
    stores_.directory.create_department({"Ops", "", ""});
    stores_.directory.add_member("Sales", {addr("alice@localhost"), false});
    stores_.directory.add_member("Sales", {addr("carol@localhost"), true});
    stores_.directory.add_member("Ops", {addr("dave@localhost"), false});
    core().reload_directory();
  }
};

TEST_F(SharedGroupTest, ColleaguesAppearAsBothWithTheDepartmentGroup) {
  auto snapshot = roster_get("alice@localhost");
  ASSERT_EQ(snapshot.items.size(), 1u);
  const auto* carol = find(snapshot.items, "carol@localhost");
  ASSERT_NE(carol, nullptr);
  EXPECT_EQ(carol->state, SubscriptionState::both);
  EXPECT_EQ(carol->groups, std::vector<std::string>{"Sales"});
  EXPECT_EQ(carol->name, "carol");
  EXPECT_EQ(find(snapshot.items, "dave@localhost"), nullptr);
}

TEST_F(SharedGroupTest, StoredItemOfAColleagueKeepsItsFieldsAndGainsTheGroup) {
  EXPECT_FALSE(roster_set("alice@localhost", item("carol@localhost", "Carol C", {"Lunch"})));
  auto snapshot = roster_get("alice@localhost");
  ASSERT_EQ(snapshot.items.size(), 1u);
  EXPECT_EQ(snapshot.items[0].name, "Carol C");
  EXPECT_EQ(snapshot.items[0].groups, (std::vector<std::string>{"Lunch", "Sales"}));
  // The push shows the shared group too, but the store keeps only the user's own.
  EXPECT_EQ(desk_->roster_pushes().back().item.groups,
            (std::vector<std::string>{"Lunch", "Sales"}));
  EXPECT_EQ(stored_item("alice@localhost", "carol@localhost")->groups,
            std::vector<std::string>{"Lunch"});
}

TEST_F(SharedGroupTest, ClaimingADepartmentGroupForAnOutsiderIsForbidden) {
  auto error = roster_set("alice@localhost", item("dave@localhost", "", {"Sales"}));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->condition, ErrorCondition::forbidden);
}

TEST_F(SharedGroupTest, ColleaguesExchangePresenceWithoutSubscription) {
  auto carol = login("carol@localhost/pc");
  available("alice@localhost/desk");
  auto presences = carol->presences();
  EXPECT_TRUE(std::any_of(presences.begin(), presences.end(), [](const auto& p) {
    return p.from == addr("alice@localhost/desk") && p.type == PresenceType::available;
  }));
  // Alice's initial presence probed carol.
  auto mine = desk_->presences();
  EXPECT_TRUE(std::any_of(mine.begin(), mine.end(), [](const auto& p) {
    return p.from == addr("carol@localhost/pc") && p.type == PresenceType::available;
  }));
  auto dave = login("dave@localhost/pc");
  available("alice@localhost/desk", 1);
  EXPECT_TRUE(dave->presences().size() == 1u);  // only its own presence echo
}

TEST_F(SharedGroupTest, ReloadPicksUpDirectoryChanges) {
  stores_.directory.add_member("Sales", {addr("dave@localhost"), false});
  EXPECT_EQ(roster_get("alice@localhost").items.size(), 1u);
  core().reload_directory();
  EXPECT_EQ(roster_get("alice@localhost").items.size(), 2u);
}

}  // namespace
}  // namespace parley::core::testing
