#include "gateway/storage/roster_store.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/Exception.h>

#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using model::SubscriptionState;
using testing::addr;
using testing::StorageTest;

class RosterStoreTest : public StorageTest {
 protected:
  model::RosterItem bob_item_{bob_, "Bob", {"Work", "Friends"}, SubscriptionState::both, false};
  model::RosterItem carol_item_{carol_, "", {}, SubscriptionState::none_pending_in, true};
};

TEST_F(RosterStoreTest, EmptyRoster) {
  auto& rosters = stores().rosters;
  EXPECT_TRUE(rosters.items(alice_).empty());
  EXPECT_EQ(rosters.item(alice_, bob_), std::nullopt);
  EXPECT_EQ(rosters.version(alice_), 0u);
}

TEST_F(RosterStoreTest, PutThenReadBackWithGroupsInOrder) {
  auto& rosters = stores().rosters;
  rosters.put(alice_, carol_item_);
  rosters.put(alice_, bob_item_);
  EXPECT_EQ(rosters.item(alice_, bob_), bob_item_);
  EXPECT_EQ(rosters.item(alice_, carol_), carol_item_);
  // Sorted by contact.
  EXPECT_EQ(rosters.items(alice_), (std::vector<model::RosterItem>{bob_item_, carol_item_}));
  // Other users' rosters are separate.
  EXPECT_TRUE(rosters.items(bob_).empty());
}

TEST_F(RosterStoreTest, EveryStateRoundTrips) {
  auto& rosters = stores().rosters;
  for (int i = 0; i < model::kSubscriptionStateCount; ++i) {
    model::RosterItem item{addr("c" + std::to_string(i) + "@example.org"),
                           "",
                           {},
                           static_cast<SubscriptionState>(i),
                           i % 2 == 0};
    rosters.put(alice_, item);
    EXPECT_EQ(rosters.item(alice_, item.jid), item) << i;
  }
}

TEST_F(RosterStoreTest, PutReplacesNameStateAndGroups) {
  auto& rosters = stores().rosters;
  rosters.put(alice_, bob_item_);
  model::RosterItem changed{bob_, "Robert", {"Family"}, SubscriptionState::to, true};
  rosters.put(alice_, changed);
  EXPECT_EQ(rosters.item(alice_, bob_), changed);
  EXPECT_EQ(rosters.items(alice_).size(), 1u);
}

TEST_F(RosterStoreTest, DuplicateGroupsAreKeptOnce) {
  auto& rosters = stores().rosters;
  model::RosterItem item{bob_, "", {"B", "A", "B"}, SubscriptionState::none, false};
  rosters.put(alice_, item);
  EXPECT_EQ(rosters.item(alice_, bob_)->groups, (std::vector<std::string>{"B", "A"}));
}

TEST_F(RosterStoreTest, VersionsIncreaseStrictlyWithEveryChange) {
  auto& rosters = stores().rosters;
  const std::uint64_t v1 = rosters.put(alice_, bob_item_);
  EXPECT_GT(v1, 0u);
  EXPECT_EQ(rosters.version(alice_), v1);
  const std::uint64_t v2 = rosters.put(alice_, carol_item_);
  EXPECT_GT(v2, v1);
  const std::uint64_t v3 = rosters.put(alice_, carol_item_);  // same content: still a push
  EXPECT_GT(v3, v2);
  const auto v4 = rosters.remove(alice_, bob_);
  ASSERT_TRUE(v4);
  EXPECT_GT(*v4, v3);
  const auto v5 = rosters.remove(alice_, carol_);
  ASSERT_TRUE(v5);
  EXPECT_GT(*v5, *v4);
  // Empty again, but the version never goes back (XEP-0237 clients cache it).
  EXPECT_TRUE(rosters.items(alice_).empty());
  EXPECT_EQ(rosters.version(alice_), *v5);
  EXPECT_GT(rosters.put(alice_, bob_item_), *v5);
  // Per user.
  EXPECT_EQ(rosters.version(bob_), 0u);
}

TEST_F(RosterStoreTest, RemovingAnUnknownItemChangesNothing) {
  auto& rosters = stores().rosters;
  const std::uint64_t v = rosters.put(alice_, bob_item_);
  EXPECT_EQ(rosters.remove(alice_, carol_), std::nullopt);
  EXPECT_EQ(rosters.version(alice_), v);
  EXPECT_EQ(rosters.remove(carol_, bob_), std::nullopt);
  EXPECT_EQ(rosters.version(carol_), 0u);
}

TEST_F(RosterStoreTest, RemoveDropsTheGroups) {
  auto& rosters = stores().rosters;
  rosters.put(alice_, bob_item_);
  ASSERT_TRUE(rosters.remove(alice_, bob_));
  SQLite::Statement count(db().sql(), "SELECT count(*) FROM roster_groups");
  ASSERT_TRUE(count.executeStep());
  EXPECT_EQ(count.getColumn(0).getInt(), 0);
}

TEST_F(RosterStoreTest, AUserMustBeAnAccountAndAFailedPutLeavesNoTrace) {
  auto& rosters = stores().rosters;
  const auto nobody = addr("nobody@example.com");
  EXPECT_THROW(rosters.put(nobody, bob_item_), SQLite::Exception);
  EXPECT_EQ(rosters.version(nobody), 0u);
  EXPECT_TRUE(rosters.items(nobody).empty());
  // The connection is usable afterwards (no transaction left open).
  EXPECT_EQ(rosters.put(alice_, bob_item_), 1u);
}

TEST_F(RosterStoreTest, SurvivesReopen) {
  const std::uint64_t v = stores().rosters.put(alice_, bob_item_);
  reopen();
  EXPECT_EQ(stores().rosters.items(alice_), std::vector<model::RosterItem>{bob_item_});
  EXPECT_EQ(stores().rosters.version(alice_), v);
}

}  // namespace
}  // namespace parley::storage
