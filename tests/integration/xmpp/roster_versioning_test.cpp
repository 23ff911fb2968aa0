// Roster versioning (RFC 6121 §2.6): the server advertises it, every roster result and push
// carries a 'ver', a request with the current version gets an empty result (§2.6.3), and a
// request with an older version gets either the full roster or the pushes that lead to the
// current one.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class RosterVersioningTest : public DaemonSuite<RosterVersioningTest> {};

TEST_F(RosterVersioningTest, FeatureIsAdvertised) {
  const Account alice = daemon().new_account("alice");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  const XmlNode features = raw.login(alice.jid, alice.password, "r");
  // RFC 6121 §2.6.1
  EXPECT_NE(features.child("ver", "urn:xmpp:features:rosterver"), nullptr) << features.to_string();
}

TEST_F(RosterVersioningTest, VersionsTrackChanges) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  const Account carol = daemon().new_account("carol");
  auto a = login(daemon(), alice);

  // §2.6.2: ver='' asks for the full roster and its version.
  auto initial = a->iq(roster_get("", true));
  ASSERT_TRUE(initial);
  ASSERT_EQ(initial->attr_or("type"), "result") << initial->to_string();
  const XmlNode* query = initial->child("query", kNsRoster);
  ASSERT_NE(query, nullptr) << initial->to_string();
  const auto v0 = query->attr("ver");
  ASSERT_TRUE(v0) << "no ver on the roster result: " << initial->to_string();

  // A change is pushed with a new version (§2.6.3).
  auto set = a->iq(roster_set(bob.jid, "Bob"));
  ASSERT_TRUE(set);
  EXPECT_EQ(set->attr_or("type"), "result") << set->to_string();
  const XmlNode push = expect(*a, roster_push_for(bob.jid), "the push for bob");
  const std::string v1 = push.child("query", kNsRoster)->attr_or("ver");
  EXPECT_FALSE(v1.empty()) << push.to_string();
  EXPECT_NE(v1, *v0);

  // Up to date: an empty result.
  auto current = a->iq(roster_get(v1, true));
  ASSERT_TRUE(current);
  EXPECT_EQ(current->attr_or("type"), "result");
  EXPECT_EQ(current->child("query", kNsRoster), nullptr)
      << "expected an empty IQ result: " << current->to_string();

  // Stale version: the full roster with the current version, or an empty result followed by
  // pushes for what changed.
  auto stale = a->iq(roster_get(*v0, true));
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->attr_or("type"), "result");
  if (const XmlNode* full = stale->child("query", kNsRoster)) {
    EXPECT_EQ(full->attr_or("ver"), v1) << stale->to_string();
    EXPECT_NE(roster_item(*stale, bob.jid), nullptr) << stale->to_string();
  } else {
    const XmlNode replay = expect(*a, roster_push_for(bob.jid), "the replayed push for bob");
    EXPECT_EQ(replay.child("query", kNsRoster)->attr_or("ver"), v1);
  }

  // Another change moves the version again; removing an item is versioned too.
  ASSERT_TRUE(a->iq(roster_set(carol.jid)));
  const XmlNode push2 = expect(*a, roster_push_for(carol.jid), "the push for carol");
  const std::string v2 = push2.child("query", kNsRoster)->attr_or("ver");
  EXPECT_NE(v2, v1);
  // <item jid='bob' subscription='remove'/> (RFC 6121 §2.5)
  XmlNode removal("iq");
  removal.set("type", "set")
      .append(XmlNode("query", std::string(kNsRoster))
                  .append(XmlNode("item", std::string(kNsRoster))
                              .set("jid", bob.jid)
                              .set("subscription", "remove")));
  ASSERT_TRUE(a->iq(removal));
  const XmlNode push3 = expect(
      *a,
      [&](const XmlNode& n) {
        const XmlNode* item = roster_push_for(bob.jid)(n) ? roster_item(n, bob.jid) : nullptr;
        return item && item->attr_or("subscription") == "remove";
      },
      "the removal push for bob");
  EXPECT_NE(push3.child("query", kNsRoster)->attr_or("ver"), v2);
  auto after = a->iq(roster_get("", true));
  ASSERT_TRUE(after);
  EXPECT_EQ(roster_item(*after, bob.jid), nullptr) << after->to_string();
  EXPECT_NE(roster_item(*after, carol.jid), nullptr) << after->to_string();
}

}  // namespace
}  // namespace parley::it
