// XEP-0199 ping, XEP-0092 version, XEP-0280 carbons, RFC 3921 session.
#include "adapters/xmpp/features/handlers.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using model::ErrorCondition;

class SimpleFeaturesTest : public FeatureTest {};

TEST_F(SimpleFeaturesTest, PingServerAndSelf) {
  const IqHandler ping = features::make_ping_handler();
  dispatch(ping, "<iq type='get' id='p1' to='example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
  const auto& reply = result("p1");
  EXPECT_EQ(reply.attr_or("from"), "example.com");
  EXPECT_EQ(reply.attr_or("to"), "juliet@example.com/balcony");
  EXPECT_TRUE(reply.element_children().empty());
  dispatch(ping, "<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq>");
  result("p2");
  dispatch(ping,
           "<iq type='get' id='p3' to='juliet@example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
  result("p3");
}

TEST_F(SimpleFeaturesTest, PingErrors) {
  const IqHandler ping = features::make_ping_handler();
  dispatch(ping, "<iq type='set' id='p4'><ping xmlns='urn:xmpp:ping'/></iq>");
  expect_error(ErrorCondition::bad_request, "p4");
  dispatch(ping,
           "<iq type='get' id='p5' to='romeo@example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
  expect_error(ErrorCondition::service_unavailable, "p5");
}

TEST_F(SimpleFeaturesTest, ResultKeepsTheStampedFrom) {
  const IqHandler ping = features::make_ping_handler();
  dispatch(ping,
           "<iq type='get' id='p6' from='juliet@example.com/balcony' to='example.com'>"
           "<ping xmlns='urn:xmpp:ping'/></iq>");
  EXPECT_EQ(result("p6").attr_or("to"), "juliet@example.com/balcony");
}

TEST_F(SimpleFeaturesTest, Version) {
  const IqHandler version = features::make_version_handler();
  dispatch(version,
           "<iq type='get' id='v1' to='example.com'><query xmlns='jabber:iq:version'/></iq>");
  const auto* query = result("v1").child("query", "jabber:iq:version");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->child_text("name"), "Parley");
  EXPECT_FALSE(query->child_text("version").empty());
  EXPECT_EQ(query->child("os"), nullptr);  // XEP-0092 §5: not disclosed
  dispatch(version,
           "<iq type='get' id='v2' to='romeo@example.com'><query xmlns='jabber:iq:version'/></iq>");
  expect_error(ErrorCondition::service_unavailable, "v2");
  dispatch(version, "<iq type='set' id='v3'><query xmlns='jabber:iq:version'/></iq>");
  expect_error(ErrorCondition::bad_request, "v3");
}

TEST_F(SimpleFeaturesTest, CarbonsEnableDisable) {
  const IqHandler carbons = features::make_carbons_handler();
  dispatch(carbons, "<iq type='set' id='c1'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
  result("c1");
  EXPECT_TRUE(session.endpoint_flags.carbons);
  EXPECT_EQ(session.set_flags_calls, 1);
  dispatch(carbons, "<iq type='set' id='c2'><disable xmlns='urn:xmpp:carbons:2'/></iq>");
  result("c2");
  EXPECT_FALSE(session.endpoint_flags.carbons);
  EXPECT_EQ(session.set_flags_calls, 2);
}

TEST_F(SimpleFeaturesTest, CarbonsKeepOtherFlags) {
  session.endpoint_flags.roster_interested = true;
  const IqHandler carbons = features::make_carbons_handler();
  dispatch(carbons, "<iq type='set' id='c3'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
  EXPECT_TRUE(session.endpoint_flags.roster_interested);
  EXPECT_TRUE(session.endpoint_flags.carbons);
}

TEST_F(SimpleFeaturesTest, CarbonsErrors) {
  const IqHandler carbons = features::make_carbons_handler();
  dispatch(carbons, "<iq type='get' id='c4'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
  expect_error(ErrorCondition::bad_request, "c4");
  dispatch(carbons, "<iq type='set' id='c5'><private xmlns='urn:xmpp:carbons:2'/></iq>");
  expect_error(ErrorCondition::bad_request, "c5");
  EXPECT_EQ(session.set_flags_calls, 0);
}

TEST_F(SimpleFeaturesTest, LegacySession) {
  const IqHandler legacy = features::make_session_handler();
  dispatch(legacy,
           "<iq type='set' id='s1' to='example.com'>"
           "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
  EXPECT_TRUE(result("s1").element_children().empty());
  dispatch(legacy,
           "<iq type='get' id='s2'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
  expect_error(ErrorCondition::bad_request, "s2");
}

}  // namespace
}  // namespace parley::xmpp::test
