// RFC 6121 §8.5: where a message goes, and what the sender hears when it cannot.
#include <gtest/gtest.h>

#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

using model::ErrorCondition;
using model::MessageType;

class RoutingTest : public CoreHarness {
 protected:
  void SetUp() override {
    create_account("alice@localhost");
    create_account("bob@localhost");
    alice_ = login("alice@localhost/desk");
  }
  std::optional<ErrorCondition> last_error_to_alice() {
    auto messages = alice_->messages();
    for (auto it = messages.rbegin(); it != messages.rend(); ++it)
      if (it->type == MessageType::error && it->error) return it->error->condition;
    return std::nullopt;
  }
  std::shared_ptr<fakes::RecordingEndpoint> alice_;
};

TEST_F(RoutingTest, FullAddressReachesThatResourceOnly) {
  auto phone = login("bob@localhost/phone", 5);
  auto desk = login("bob@localhost/desk", 1);
  send("alice@localhost/desk", "bob@localhost/desk", "hi");
  ASSERT_EQ(desk->messages().size(), 1u);
  EXPECT_EQ(desk->messages()[0].body, "hi");
  EXPECT_TRUE(phone->messages().empty());
}

TEST_F(RoutingTest, StampsTimeAndStanzaId) {
  auto bob = login("bob@localhost/a");
  send("alice@localhost/desk", "bob@localhost", "hi");
  ASSERT_EQ(bob->messages().size(), 1u);
  EXPECT_EQ(bob->messages()[0].stamp, kNow);
  EXPECT_FALSE(bob->messages()[0].stanza_id.empty());
  EXPECT_FALSE(bob->messages()[0].delayed);
}

TEST_F(RoutingTest, RedeliveryKeepsStampAndStanzaId) {
  auto bob = login("bob@localhost/a");
  model::Message message;
  message.from = addr("alice@localhost/desk");
  message.to = addr("bob@localhost/gone");
  message.type = MessageType::chat;
  message.body = "again";
  message.stamp = kNow - std::chrono::minutes(5);
  message.stanza_id = "original-id";
  core().send_message(message);
  ASSERT_EQ(bob->messages().size(), 1u);  // §8.5.3.2.1: unknown resource -> like bare
  EXPECT_EQ(bob->messages()[0].stamp, kNow - std::chrono::minutes(5));
  EXPECT_EQ(bob->messages()[0].stanza_id, "original-id");
}

TEST_F(RoutingTest, BareGoesToHighestPriority) {
  auto low = login("bob@localhost/low", 1);
  auto high = login("bob@localhost/high", 7);
  send("alice@localhost/desk", "bob@localhost", "hi");
  EXPECT_EQ(high->messages().size(), 1u);
  EXPECT_TRUE(low->messages().empty());
}

TEST_F(RoutingTest, BareGoesToAllOnATie) {
  auto one = login("bob@localhost/one", 3);
  auto two = login("bob@localhost/two", 3);
  send("alice@localhost/desk", "bob@localhost", "hi");
  EXPECT_EQ(one->messages().size(), 1u);
  EXPECT_EQ(two->messages().size(), 1u);
}

TEST_F(RoutingTest, NegativePriorityNeverGetsBareMessagesButFullOnes) {
  auto shy = login("bob@localhost/shy", -1);
  send("alice@localhost/desk", "bob@localhost", "to bare");
  EXPECT_TRUE(shy->messages().empty());
  EXPECT_EQ(stores_.offline.count(addr("bob@localhost")), 1u);  // stored instead
  send("alice@localhost/desk", "bob@localhost/shy", "to full");
  ASSERT_EQ(shy->messages().size(), 1u);
  EXPECT_EQ(shy->messages()[0].body, "to full");
}

TEST_F(RoutingTest, BoundButUnavailableResourceGetsFullAddressedMessages) {
  auto quiet = bind("bob@localhost/quiet");  // no presence: §8.5.3.1 still delivers
  send("alice@localhost/desk", "bob@localhost/quiet", "psst");
  EXPECT_EQ(quiet->messages().size(), 1u);
  send("alice@localhost/desk", "bob@localhost", "bare");
  EXPECT_EQ(quiet->messages().size(), 1u);  // but not bare ones
  EXPECT_EQ(stores_.offline.count(addr("bob@localhost")), 1u);
}

TEST_F(RoutingTest, OfflineMessagesArriveOnInitialPresenceWithOriginalStamp) {
  send("alice@localhost/desk", "bob@localhost", "one");
  now_ += std::chrono::seconds(10);
  send("alice@localhost/desk", "bob@localhost/any", "two");
  EXPECT_EQ(stores_.offline.count(addr("bob@localhost")), 2u);
  now_ += std::chrono::hours(1);
  auto bob = bind("bob@localhost/phone");
  EXPECT_TRUE(bob->messages().empty());  // not before initial presence
  available("bob@localhost/phone", 0);
  auto messages = bob->messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].body, "one");
  EXPECT_EQ(messages[0].stamp, kNow);
  EXPECT_TRUE(messages[0].delayed);
  EXPECT_EQ(messages[1].body, "two");
  EXPECT_EQ(messages[1].stamp, kNow + std::chrono::seconds(10));
  EXPECT_EQ(stores_.offline.count(addr("bob@localhost")), 0u);
}

TEST_F(RoutingTest, OfflineMessagesWaitForNonNegativePriority) {
  send("alice@localhost/desk", "bob@localhost", "one");
  auto bob = login("bob@localhost/phone", -5);
  EXPECT_TRUE(bob->messages().empty());
  available("bob@localhost/phone", 2);
  ASSERT_EQ(bob->messages().size(), 1u);
  EXPECT_TRUE(bob->messages()[0].delayed);
  available("bob@localhost/phone", 3);  // flushed once only
  EXPECT_EQ(bob->messages().size(), 1u);
}

TEST_F(RoutingTest, UnknownAccountAnswersServiceUnavailable) {
  send("alice@localhost/desk", "nobody@localhost", "hello?");
  EXPECT_EQ(last_error_to_alice(), ErrorCondition::service_unavailable);
  auto error = alice_->messages().back();
  EXPECT_EQ(error.from, addr("nobody@localhost"));
  EXPECT_EQ(error.to, addr("alice@localhost/desk"));
  EXPECT_EQ(error.id, "m1");
}

TEST_F(RoutingTest, AccountCreatedBehindTheCacheIsFoundInTheStore) {
  stores_.accounts.create(addr("carol@localhost"), {});  // the cache was not told
  send("alice@localhost/desk", "carol@localhost", "hi");
  EXPECT_FALSE(last_error_to_alice().has_value());
  EXPECT_EQ(stores_.offline.count(addr("carol@localhost")), 1u);
  EXPECT_TRUE(core().account_exists(addr("carol@localhost")));
}

TEST_F(RoutingTest, ErrorMessagesAreNeverAnswered) {
  send("alice@localhost/desk", "nobody@localhost", "oops", MessageType::error);
  send("alice@localhost/desk", "elsewhere.example/x", "oops", MessageType::error);
  EXPECT_TRUE(alice_->messages().empty());
}

TEST_F(RoutingTest, NonLocalDomainAnswersRemoteServerNotFound) {
  send("alice@localhost/desk", "bob@elsewhere.example", "hi");
  EXPECT_EQ(last_error_to_alice(), ErrorCondition::remote_server_not_found);
}

TEST_F(RoutingTest, HeadlineGoesToAllNonNegativeOrIsDropped) {
  send("alice@localhost/desk", "bob@localhost", "news", MessageType::headline);
  EXPECT_EQ(stores_.offline.count(addr("bob@localhost")), 0u);
  EXPECT_FALSE(last_error_to_alice().has_value());
  auto a = login("bob@localhost/a", 1);
  auto b = login("bob@localhost/b", 9);
  auto c = login("bob@localhost/c", -1);
  send("alice@localhost/desk", "bob@localhost", "news", MessageType::headline);
  EXPECT_EQ(a->messages().size(), 1u);
  EXPECT_EQ(b->messages().size(), 1u);
  EXPECT_TRUE(c->messages().empty());
}

TEST_F(RoutingTest, GroupchatToAUserIsAnError) {
  auto bob = login("bob@localhost/a");
  send("alice@localhost/desk", "bob@localhost", "hi", MessageType::groupchat);
  EXPECT_EQ(last_error_to_alice(), ErrorCondition::service_unavailable);
  send("alice@localhost/desk", "bob@localhost/nope", "hi", MessageType::groupchat);
  EXPECT_EQ(alice_->messages().size(), 2u);
  EXPECT_TRUE(bob->messages().empty());
}

TEST_F(RoutingTest, HeadlineToUnknownResourceIsDropped) {
  auto bob = login("bob@localhost/a");
  send("alice@localhost/desk", "bob@localhost/nope", "x", MessageType::headline);
  EXPECT_TRUE(bob->messages().empty());
  EXPECT_FALSE(last_error_to_alice().has_value());
}

TEST_F(RoutingTest, ErrorTypeWithNobodyOnlineIsDroppedNotStored) {
  send("alice@localhost/desk", "bob@localhost", "", MessageType::error);
  EXPECT_EQ(stores_.offline.count(addr("bob@localhost")), 0u);
}

class OfflineLimitTest : public CoreHarness {
 protected:
  OfflineLimitTest() : CoreHarness(config()) {}
  static CoreConfig config() {
    CoreConfig c;
    c.max_offline_messages_per_account = 2;
    return c;
  }
};

TEST_F(OfflineLimitTest, FullStorageAnswersServiceUnavailable) {
  create_account("alice@localhost");
  create_account("bob@localhost");
  auto alice = login("alice@localhost/desk");
  send("alice@localhost/desk", "bob@localhost", "1");
  send("alice@localhost/desk", "bob@localhost", "2");
  EXPECT_TRUE(alice->messages().empty());
  send("alice@localhost/desk", "bob@localhost", "3");
  ASSERT_EQ(alice->messages().size(), 1u);
  EXPECT_EQ(alice->messages()[0].error->condition, ErrorCondition::service_unavailable);
  EXPECT_EQ(stores_.offline.count(addr("bob@localhost")), 2u);
}

}  // namespace
}  // namespace parley::core::testing
