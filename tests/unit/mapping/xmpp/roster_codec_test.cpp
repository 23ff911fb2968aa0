#include "mapping/xmpp/roster_codec.hpp"

#include <gtest/gtest.h>

#include "tests/unit/mapping/xmpp/xml_test_util.hpp"

namespace parley::mapping::xmpp {
namespace {

using model::RosterItem;
using model::SubscriptionState;
using testing::semantically_equal;
using testing::xml;

model::Address addr(std::string_view text) {
  return model::Address::parse(text).value();
}

TEST(RosterCodecTest, EveryWireVisibleStateRoundTrips) {
  // pending-in is not on the wire (RFC 6121 §2.1.2.5), so those states read back without it.
  struct Case {
    SubscriptionState state;
    SubscriptionState read_back;
    const char* subscription;
    bool ask;
  };
  const Case cases[] = {
      {SubscriptionState::none, SubscriptionState::none, "none", false},
      {SubscriptionState::none_pending_out, SubscriptionState::none_pending_out, "none", true},
      {SubscriptionState::none_pending_in, SubscriptionState::none, "none", false},
      {SubscriptionState::none_pending_out_in, SubscriptionState::none_pending_out, "none", true},
      {SubscriptionState::to, SubscriptionState::to, "to", false},
      {SubscriptionState::to_pending_in, SubscriptionState::to, "to", false},
      {SubscriptionState::from, SubscriptionState::from, "from", false},
      {SubscriptionState::from_pending_out, SubscriptionState::from_pending_out, "from", true},
      {SubscriptionState::both, SubscriptionState::both, "both", false},
  };
  for (const auto& c : cases) {
    RosterItem item;
    item.jid = addr("romeo@example.net");
    item.name = "Romeo";
    item.groups = {"Friends", "Lovers"};
    item.state = c.state;
    item.approved = c.state == SubscriptionState::none;
    auto x = roster_item_to_xml(item);
    SCOPED_TRACE(x.serialize());
    EXPECT_EQ(x.attr_or("subscription"), c.subscription);
    EXPECT_EQ(x.attr("ask").has_value(), c.ask);
    auto back = roster_item_from_xml(xml(x.serialize(), "jabber:iq:roster"));
    ASSERT_TRUE(back.ok()) << back.error().text;
    EXPECT_FALSE(back->remove);
    RosterItem expected = item;
    expected.state = c.read_back;
    EXPECT_EQ(back->item, expected);
  }
}

TEST(RosterCodecTest, WritesRfcShapedItems) {
  RosterItem item;
  item.jid = addr("nurse@example.com");
  item.name = "Nurse";
  item.groups = {"Servants"};
  item.state = SubscriptionState::none_pending_out;
  item.approved = true;
  EXPECT_EQ(roster_item_to_xml(item).serialize("jabber:iq:roster"),
            "<item jid='nurse@example.com' name='Nurse' subscription='none' ask='subscribe' "
            "approved='true'><group>Servants</group></item>");
  EXPECT_EQ(roster_removed_item_to_xml(addr("nurse@example.com")).serialize("jabber:iq:roster"),
            "<item jid='nurse@example.com' subscription='remove'/>");
}

TEST(RosterCodecTest, ResultAndPush) {
  std::vector<RosterItem> items(2);
  items[0].jid = addr("a@example.com");
  items[1].jid = addr("b@example.com");
  items[1].state = SubscriptionState::both;
  EXPECT_TRUE(semantically_equal(
      roster_result_to_xml(items, 7),
      xml("<query xmlns='jabber:iq:roster' ver='7'><item jid='a@example.com' "
          "subscription='none'/><item jid='b@example.com' subscription='both'/></query>")));

  api::RosterPush push;
  push.item = items[1];
  push.version = 8;
  EXPECT_TRUE(
      semantically_equal(roster_push_to_xml(push),
                         xml("<query xmlns='jabber:iq:roster' ver='8'><item jid='b@example.com' "
                             "subscription='both'/></query>")));
  push.removed = true;
  EXPECT_TRUE(
      semantically_equal(roster_push_to_xml(push),
                         xml("<query xmlns='jabber:iq:roster' ver='8'><item jid='b@example.com' "
                             "subscription='remove'/></query>")));
}

TEST(RosterCodecTest, RosterSetAddUpdate) {
  auto r = roster_set_from_query(
      xml("<query xmlns='jabber:iq:roster'><item jid='Nurse@Example.com' name='Nurse' "
          "subscription='both' ask='subscribe' approved='true'><group>Servants</group>"
          "<group>Capulets</group></item></query>"));
  ASSERT_TRUE(r.ok()) << r.error().text;
  EXPECT_FALSE(r->remove);
  EXPECT_EQ(r->item.jid, addr("nurse@example.com"));  // prepared (RFC 7622)
  EXPECT_EQ(r->item.name, "Nurse");
  EXPECT_EQ(r->item.groups, (std::vector<std::string>{"Servants", "Capulets"}));
  // §2.1.2: subscription, ask and approved in a set are the server's business.
  EXPECT_EQ(r->item.state, SubscriptionState::none);
  EXPECT_FALSE(r->item.approved);
}

TEST(RosterCodecTest, RosterSetRemove) {
  auto r =
      roster_set_from_query(xml("<query xmlns='jabber:iq:roster'><item jid='nurse@example.com' "
                                "subscription='remove'/></query>"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->remove);
  EXPECT_EQ(r->item.jid, addr("nurse@example.com"));
}

TEST(RosterCodecTest, RosterSetErrors) {
  struct Case {
    const char* query;
    model::ErrorCondition condition;
  };
  const Case cases[] = {
      {"<query xmlns='jabber:iq:roster'/>", model::ErrorCondition::bad_request},
      {"<query xmlns='jabber:iq:roster'><item jid='a@b.c'/><item jid='d@e.f'/></query>",
       model::ErrorCondition::bad_request},
      {"<query xmlns='jabber:iq:roster'><item name='x'/></query>",
       model::ErrorCondition::bad_request},
      {"<query xmlns='jabber:iq:roster'><item jid='a@b@c'/></query>",
       model::ErrorCondition::jid_malformed},
      {"<query xmlns='jabber:iq:roster'><item jid='a@b.c/res'/></query>",
       model::ErrorCondition::jid_malformed},
      {"<query xmlns='jabber:iq:roster'><item jid='a@b.c'><group/></item></query>",
       model::ErrorCondition::not_acceptable},
      {"<query xmlns='jabber:iq:roster'><item jid='a@b.c'><group>G</group><group>G</group>"
       "</item></query>",
       model::ErrorCondition::bad_request},
  };
  for (const auto& c : cases) {
    auto r = roster_set_from_query(xml(c.query));
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_EQ(r.error().condition, c.condition) << c.query;
  }
}

TEST(RosterCodecTest, ItemReadErrors) {
  auto unknown = roster_item_from_xml(
      xml("<item xmlns='jabber:iq:roster' jid='a@b.c' subscription='sometimes'/>"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().condition, model::ErrorCondition::bad_request);
  auto removed = roster_item_from_xml(
      xml("<item xmlns='jabber:iq:roster' jid='a@b.c' subscription='remove'/>"));
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(removed->remove);
}

}  // namespace
}  // namespace parley::mapping::xmpp
