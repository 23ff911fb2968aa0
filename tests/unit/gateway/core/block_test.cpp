// XEP-0191 blocking command: pushes, message errors and presence effects.
#include <gtest/gtest.h>

#include <algorithm>

#include "gateway/core/block_cache.hpp"
#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

using model::ErrorCondition;
using model::PresenceType;

class BlockTest : public CoreHarness {
 protected:
  void SetUp() override {
    create_account("alice@localhost");
    create_account("bob@localhost");
    alice_ = login("alice@localhost/desk", 0, {.block_list_interested = true});
    alice2_ = login("alice@localhost/phone", 0);
    bob_ = login("bob@localhost/pc");
    // Mutual subscription so presence flows both ways.
    presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribe);
    presence_to("bob@localhost/pc", "alice@localhost", PresenceType::subscribed);
    presence_to("bob@localhost/pc", "alice@localhost", PresenceType::subscribe);
    presence_to("alice@localhost/desk", "bob@localhost", PresenceType::subscribed);
    alice_->clear();
    alice2_->clear();
    bob_->clear();
  }
  std::optional<model::StanzaError> block(std::string_view user, std::vector<std::string> items) {
    std::vector<model::Address> addresses;
    for (const auto& i : items) addresses.push_back(addr(i));
    std::optional<model::StanzaError> result =
        model::StanzaError::make(ErrorCondition::undefined_condition);
    core().block(addr(user), addresses, [&](auto e) { result = e; });
    return result;
  }
  std::optional<model::StanzaError> unblock(std::string_view user, std::vector<std::string> items) {
    std::vector<model::Address> addresses;
    for (const auto& i : items) addresses.push_back(addr(i));
    std::optional<model::StanzaError> result =
        model::StanzaError::make(ErrorCondition::undefined_condition);
    core().unblock(addr(user), addresses, [&](auto e) { result = e; });
    return result;
  }
  std::shared_ptr<fakes::RecordingEndpoint> alice_, alice2_, bob_;
};

TEST_F(BlockTest, BlockPushesAndSendsUnavailable) {
  EXPECT_FALSE(block("alice@localhost", {"bob@localhost"}));
  auto pushes = alice_->of<api::BlockListPush>();
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_TRUE(pushes[0].blocked);
  EXPECT_EQ(pushes[0].items, std::vector<model::Address>{addr("bob@localhost")});
  EXPECT_TRUE(alice2_->of<api::BlockListPush>().empty());  // did not ask for the list
  auto presences = bob_->presences();
  EXPECT_EQ(std::count_if(presences.begin(), presences.end(),
                          [](const auto& p) { return p.type == PresenceType::unavailable; }),
            2);  // from desk and phone
  std::vector<model::Address> list;
  core().block_list(addr("alice@localhost"), [&](auto items) { list = items; });
  EXPECT_EQ(list, std::vector<model::Address>{addr("bob@localhost")});
}

TEST_F(BlockTest, EmptyBlockIsBadRequest) {
  EXPECT_EQ(block("alice@localhost", {})->condition, ErrorCondition::bad_request);
}

TEST_F(BlockTest, MessagesBetweenBlockedUsersBounce) {
  block("alice@localhost", {"bob@localhost"});
  send("bob@localhost/pc", "alice@localhost", "hi");
  EXPECT_TRUE(alice_->messages().empty());
  ASSERT_EQ(bob_->messages().size(), 1u);
  EXPECT_EQ(bob_->messages()[0].error->condition, ErrorCondition::service_unavailable);
  send("alice@localhost/desk", "bob@localhost", "hi");
  EXPECT_TRUE(bob_->messages().size() == 1u);
  ASSERT_EQ(alice_->messages().size(), 1u);
  EXPECT_EQ(alice_->messages()[0].error->condition, ErrorCondition::not_acceptable);
}

TEST_F(BlockTest, PresenceAndProbesFromBlockedContactsAreNotDelivered) {
  block("alice@localhost", {"bob@localhost"});
  alice_->clear();
  available("bob@localhost/pc", 0, "anyone?");
  EXPECT_TRUE(alice_->presences().empty());
  bob_->clear();
  available("alice@localhost/desk", 0, "here");
  for (const auto& p : bob_->presences()) EXPECT_NE(p.from, addr("alice@localhost/desk"));
  bob_->clear();
  presence_to("bob@localhost/pc", "alice@localhost", PresenceType::probe);
  EXPECT_TRUE(bob_->presences().empty());
}

TEST_F(BlockTest, UnblockRestoresMessagesAndPresence) {
  block("alice@localhost", {"bob@localhost"});
  bob_->clear();
  EXPECT_FALSE(unblock("alice@localhost", {}));  // everything
  auto pushes = alice_->of<api::BlockListPush>();
  ASSERT_EQ(pushes.size(), 2u);
  EXPECT_FALSE(pushes[1].blocked);
  EXPECT_TRUE(pushes[1].items.empty());
  auto presences = bob_->presences();
  EXPECT_TRUE(std::any_of(presences.begin(), presences.end(), [](const auto& p) {
    return p.from == addr("alice@localhost/desk") && p.type == PresenceType::available;
  }));
  send("bob@localhost/pc", "alice@localhost", "hi again");
  EXPECT_EQ(alice_->messages().size(), 1u);
}

TEST_F(BlockTest, DomainItemsBlockEveryoneThere) {
  block("alice@localhost", {"localhost"});
  send("bob@localhost/pc", "alice@localhost", "hi");
  EXPECT_TRUE(alice_->messages().empty());
}

TEST_F(BlockTest, BlockListLoadsLazilyFromTheStore) {
  stores_.blocks.add(addr("bob@localhost"), {addr("alice@localhost")});  // behind the cache
  core().unbind(addr("bob@localhost/pc"), bob_.get());
  // The cache still thinks bob blocks nobody; a fresh core loads from the store.
  CoreService fresh(CoreConfig{}, executor_, [] { return kNow; });
  auto endpoint = std::make_shared<fakes::RecordingEndpoint>();
  ASSERT_FALSE(fresh.bind({addr("alice@localhost/x"), model::Protocol::xmpp, "s"}, endpoint));
  model::Message message;
  message.from = addr("alice@localhost/x");
  message.to = addr("bob@localhost");
  message.type = model::MessageType::chat;
  fresh.send_message(message);
  ASSERT_EQ(endpoint->messages().size(), 1u);
  EXPECT_EQ(endpoint->messages()[0].error->condition, ErrorCondition::service_unavailable);
  EXPECT_EQ(stores_.offline.count(addr("bob@localhost")), 0u);
}

TEST(BlockListMatches, FollowsJidMatchingRules) {
  const std::vector<model::Address> items{addr("a@x"), addr("y"), addr("b@z/r")};
  EXPECT_TRUE(block_list_matches(items, addr("a@x/any")));
  EXPECT_TRUE(block_list_matches(items, addr("a@x")));
  EXPECT_TRUE(block_list_matches(items, addr("anyone@y/r")));
  EXPECT_TRUE(block_list_matches(items, addr("b@z/r")));
  EXPECT_FALSE(block_list_matches(items, addr("b@z/other")));
  EXPECT_FALSE(block_list_matches(items, addr("b@z")));
  EXPECT_FALSE(block_list_matches(items, addr("c@x")));
}

TEST(BlockCacheVerdict, BothDirectionsOnceBothListsAreSettled) {
  BlockCache cache(4);
  const auto alice = addr("alice@x"), bob = addr("bob@x");
  const auto alice_desk = addr("alice@x/desk"), bob_pc = addr("bob@x/pc");
  // Not loaded yet, or loaded for one party only: the message takes the store path.
  EXPECT_FALSE(cache.verdict(alice, alice_desk, bob, bob_pc));
  cache.set(alice, {});
  EXPECT_FALSE(cache.verdict(alice, alice_desk, bob, bob_pc));
  cache.set(bob, {addr("alice@x")});
  auto verdict = cache.verdict(alice, alice_desk, bob, bob_pc);
  ASSERT_TRUE(verdict);
  EXPECT_FALSE(verdict->sender_blocks_recipient);
  EXPECT_TRUE(verdict->recipient_blocks_sender);  // bob blocks alice's every resource
  verdict = cache.verdict(bob, bob_pc, alice, alice_desk);
  ASSERT_TRUE(verdict);
  EXPECT_TRUE(verdict->sender_blocks_recipient);
  EXPECT_FALSE(verdict->recipient_blocks_sender);
  // A store read in flight for a party unsettles it again, as settled() does.
  cache.hold({bob});
  EXPECT_FALSE(cache.verdict(alice, alice_desk, bob, bob_pc));
  cache.release({bob});
  EXPECT_TRUE(cache.verdict(alice, alice_desk, bob, bob_pc));
  // To oneself: the one list, read for both directions.
  cache.set(alice, {addr("alice@x/phone")});
  verdict = cache.verdict(alice, alice_desk, alice, addr("alice@x/phone"));
  ASSERT_TRUE(verdict);
  EXPECT_TRUE(verdict->sender_blocks_recipient);
  EXPECT_FALSE(verdict->recipient_blocks_sender);
}

}  // namespace
}  // namespace parley::core::testing
