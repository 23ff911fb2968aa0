// RFC 6121 §2 roster get/set/remove and XEP-0237 versioning through the roster handler.
#include "adapters/xmpp/features/handlers.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using model::ErrorCondition;

class RosterTest : public FeatureTest {
 protected:
  RosterTest() {
    model::RosterItem romeo;
    romeo.jid = addr("romeo@example.com");
    romeo.name = "Romeo";
    romeo.groups = {"Friends"};
    romeo.state = model::SubscriptionState::both;
    core.add_roster_item(addr("juliet@example.com"), romeo);
    model::RosterItem nurse;
    nurse.jid = addr("nurse@example.com");
    nurse.state = model::SubscriptionState::none_pending_out;
    core.add_roster_item(addr("juliet@example.com"), nurse);  // version is now 2
  }
  IqHandler handler = features::make_roster_handler();
};

TEST_F(RosterTest, GetReturnsItemsWithVersionAndMarksInterest) {
  dispatch(handler, "<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
  const auto& reply = result("r1");
  EXPECT_EQ(reply.attr_or("to"), "juliet@example.com/balcony");
  const auto* query = reply.child("query", "jabber:iq:roster");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->attr_or("ver"), "2");
  const auto items = query->children("item");
  ASSERT_EQ(items.size(), 2u);
  // FakeCore returns items ordered by jid: nurse, romeo.
  EXPECT_EQ(items[0]->attr_or("jid"), "nurse@example.com");
  EXPECT_EQ(items[0]->attr_or("subscription"), "none");
  EXPECT_EQ(items[0]->attr_or("ask"), "subscribe");
  EXPECT_EQ(items[1]->attr_or("jid"), "romeo@example.com");
  EXPECT_EQ(items[1]->attr_or("name"), "Romeo");
  EXPECT_EQ(items[1]->attr_or("subscription"), "both");
  EXPECT_EQ(items[1]->child_text("group"), "Friends");
  EXPECT_TRUE(session.endpoint_flags.roster_interested);  // RFC 6121 §2.1.6
}

TEST_F(RosterTest, GetWithCurrentVersionReturnsEmptyResult) {
  // RFC 6121 §2.6.3
  dispatch(handler, "<iq type='get' id='r2'><query xmlns='jabber:iq:roster' ver='2'/></iq>");
  const auto& reply = result("r2");
  EXPECT_TRUE(reply.element_children().empty());
}

TEST_F(RosterTest, GetWithStaleOrEmptyVersionReturnsFullRoster) {
  dispatch(handler, "<iq type='get' id='r3'><query xmlns='jabber:iq:roster' ver='1'/></iq>");
  const auto* query = result("r3").child("query", "jabber:iq:roster");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->attr_or("ver"), "2");
  EXPECT_EQ(query->children("item").size(), 2u);

  dispatch(handler, "<iq type='get' id='r4'><query xmlns='jabber:iq:roster' ver=''/></iq>");
  query = result("r4").child("query", "jabber:iq:roster");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->children("item").size(), 2u);
}

TEST_F(RosterTest, SetAddsItemIgnoringClientSubscription) {
  dispatch(handler,
           "<iq type='set' id='s1'><query xmlns='jabber:iq:roster'>"
           "<item jid='benvolio@example.com' name='Ben' subscription='both' ask='subscribe'>"
           "<group>Cousins</group></item></query></iq>");
  result("s1");
  ASSERT_EQ(core.roster_set_calls.size(), 1u);
  const auto& item = core.roster_set_calls.front();
  EXPECT_EQ(item.jid, addr("benvolio@example.com"));
  EXPECT_EQ(item.name, "Ben");
  EXPECT_EQ(item.groups, std::vector<std::string>{"Cousins"});
  // RFC 6121 §2.1.2: the client does not set the subscription state.
  EXPECT_EQ(item.state, model::SubscriptionState::none);
}

TEST_F(RosterTest, SetRemoveCallsRemove) {
  dispatch(handler,
           "<iq type='set' id='s2'><query xmlns='jabber:iq:roster'>"
           "<item jid='romeo@example.com' subscription='remove'/></query></iq>");
  result("s2");
  ASSERT_EQ(core.roster_remove_calls.size(), 1u);
  EXPECT_EQ(core.roster_remove_calls.front(), addr("romeo@example.com"));
  EXPECT_TRUE(core.roster_set_calls.empty());
  EXPECT_EQ(core.rosters[addr("juliet@example.com")].count(addr("romeo@example.com")), 0u);
}

TEST_F(RosterTest, RemoveOfUnknownItemIsItemNotFound) {
  // RFC 6121 §2.5.3
  dispatch(handler,
           "<iq type='set' id='s3'><query xmlns='jabber:iq:roster'>"
           "<item jid='tybalt@example.com' subscription='remove'/></query></iq>");
  expect_error(ErrorCondition::item_not_found, "s3");
}

TEST_F(RosterTest, CoreErrorIsForwarded) {
  core.next_error = model::StanzaError::make(ErrorCondition::forbidden, "shared group");
  dispatch(handler,
           "<iq type='set' id='s4'><query xmlns='jabber:iq:roster'>"
           "<item jid='romeo@example.com'><group>Sales</group></item></query></iq>");
  expect_error(ErrorCondition::forbidden, "s4");
}

TEST_F(RosterTest, SetWithTwoItemsIsBadRequest) {
  // RFC 6121 §2.3.3
  dispatch(handler,
           "<iq type='set' id='e1'><query xmlns='jabber:iq:roster'>"
           "<item jid='a@example.com'/><item jid='b@example.com'/></query></iq>");
  expect_error(ErrorCondition::bad_request, "e1");
  EXPECT_TRUE(core.roster_set_calls.empty());
}

TEST_F(RosterTest, SetWithoutItemIsBadRequest) {
  dispatch(handler, "<iq type='set' id='e2'><query xmlns='jabber:iq:roster'/></iq>");
  expect_error(ErrorCondition::bad_request, "e2");
}

TEST_F(RosterTest, SetWithInvalidJidIsRejected) {
  dispatch(handler,
           "<iq type='set' id='e3'><query xmlns='jabber:iq:roster'>"
           "<item jid='a@b@example.com'/></query></iq>");
  ASSERT_FALSE(session.errors.empty());
  const auto condition = session.errors.back().error.condition;
  EXPECT_TRUE(condition == ErrorCondition::jid_malformed ||
              condition == ErrorCondition::bad_request)
      << model::condition_name(condition);
  EXPECT_TRUE(core.roster_set_calls.empty());
}

TEST_F(RosterTest, SetWithEmptyOrDuplicateGroupIsRejected) {
  // RFC 6121 §2.3.3: empty group -> not-acceptable, duplicate -> bad-request.
  dispatch(handler,
           "<iq type='set' id='e4'><query xmlns='jabber:iq:roster'>"
           "<item jid='a@example.com'><group></group></item></query></iq>");
  expect_error(ErrorCondition::not_acceptable, "e4");
  dispatch(handler,
           "<iq type='set' id='e5'><query xmlns='jabber:iq:roster'>"
           "<item jid='a@example.com'><group>X</group><group>X</group></item></query></iq>");
  expect_error(ErrorCondition::bad_request, "e5");
  EXPECT_TRUE(core.roster_set_calls.empty());
}

TEST_F(RosterTest, OwnBareAddressIsAccepted) {
  dispatch(handler,
           "<iq type='get' id='o1' to='juliet@example.com'><query xmlns='jabber:iq:roster'/></iq>");
  EXPECT_EQ(result("o1").attr_or("from"), "juliet@example.com");
}

TEST_F(RosterTest, AnotherUsersRosterIsForbidden) {
  // RFC 6121 §2.3.3: only the account itself may use its roster.
  dispatch(handler,
           "<iq type='get' id='f1' to='romeo@example.com'><query xmlns='jabber:iq:roster'/></iq>");
  expect_error(ErrorCondition::forbidden, "f1");
  dispatch(handler,
           "<iq type='set' id='f2' to='romeo@example.com'><query xmlns='jabber:iq:roster'>"
           "<item jid='a@example.com'/></query></iq>");
  expect_error(ErrorCondition::forbidden, "f2");
  EXPECT_TRUE(core.roster_set_calls.empty());
  EXPECT_FALSE(session.endpoint_flags.roster_interested);
}

TEST_F(RosterTest, AnswerIsDroppedWhenSessionEnded) {
  session.end();
  handler(session, xml("<iq type='get' id='g1'><query xmlns='jabber:iq:roster'/></iq>"));
  EXPECT_EQ(session.run_posted(), 0u);
  EXPECT_EQ(session.replies(), 0u);
}

TEST_F(RosterTest, AnswerComesThroughThePoster) {
  // Continuations from the core must go through poster(), never straight to the session.
  handler(session, xml("<iq type='get' id='p1'><query xmlns='jabber:iq:roster'/></iq>"));
  EXPECT_EQ(session.replies(), 0u);
  EXPECT_EQ(session.pending_posts(), 1u);
  session.run_posted();
  EXPECT_EQ(session.replies(), 1u);
}

}  // namespace
}  // namespace parley::xmpp::test
