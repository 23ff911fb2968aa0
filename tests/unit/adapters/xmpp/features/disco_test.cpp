// XEP-0030 disco#info / disco#items for the server and accounts.
#include <algorithm>

#include "adapters/xmpp/features/handlers.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using model::ErrorCondition;

std::vector<std::string> feature_vars(const wire::XmlElement& query) {
  std::vector<std::string> vars;
  for (const auto* feature : query.children("feature")) vars.push_back(feature->attr_or("var"));
  return vars;
}

class DiscoTest : public FeatureTest {
 protected:
  IqHandler info = features::make_disco_info_handler(
      {"urn:xmpp:ping", "http://jabber.org/protocol/disco#info", "urn:xmpp:ping"},
      {"http://jabber.org/protocol/disco#info", "vcard-temp"});
  IqHandler items = features::make_disco_items_handler();
};

TEST_F(DiscoTest, ServerInfoHasIdentityAndUniqueSortedFeatures) {
  dispatch(info,
           "<iq type='get' id='d1' to='example.com'>"
           "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  const auto& reply = result("d1");
  EXPECT_EQ(reply.attr_or("from"), "example.com");
  const auto* query = reply.child("query", "http://jabber.org/protocol/disco#info");
  ASSERT_NE(query, nullptr);
  const auto* identity = query->child("identity");
  ASSERT_NE(identity, nullptr);
  EXPECT_EQ(identity->attr_or("category"), "server");
  EXPECT_EQ(identity->attr_or("type"), "im");
  EXPECT_EQ(feature_vars(*query),
            (std::vector<std::string>{"http://jabber.org/protocol/disco#info", "urn:xmpp:ping"}));
}

TEST_F(DiscoTest, UnaddressedInfoIsTheServer) {
  dispatch(info,
           "<iq type='get' id='d2'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  const auto* query = result("d2").child("query", "http://jabber.org/protocol/disco#info");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->child("identity")->attr_or("category"), "server");
}

TEST_F(DiscoTest, AccountInfoForSelfAndExistingAccount) {
  for (const char* to : {"juliet@example.com", "romeo@example.com"}) {
    wire::XmlElement request =
        xml("<iq type='get' id='d3'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
    request.set_attr("to", to);
    session.sent.clear();
    info(session, request);
    session.run_posted();
    ASSERT_EQ(session.sent.size(), 1u) << to;
    const auto& reply = session.sent.back();
    EXPECT_EQ(reply.attr_or("type"), "result");
    EXPECT_EQ(reply.attr_or("from"), to);
    const auto* query = reply.child("query", "http://jabber.org/protocol/disco#info");
    ASSERT_NE(query, nullptr);
    EXPECT_EQ(query->child("identity")->attr_or("category"), "account");
    EXPECT_EQ(query->child("identity")->attr_or("type"), "registered");
    EXPECT_EQ(feature_vars(*query),
              (std::vector<std::string>{"http://jabber.org/protocol/disco#info", "vcard-temp"}));
  }
  EXPECT_TRUE(session.errors.empty());
}

TEST_F(DiscoTest, UnknownAccountIsItemNotFound) {
  // XEP-0030 §7
  dispatch(info,
           "<iq type='get' id='d4' to='nobody@example.com'>"
           "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  expect_error(ErrorCondition::item_not_found, "d4");
}

TEST_F(DiscoTest, UnknownNodeIsItemNotFound) {
  dispatch(info,
           "<iq type='get' id='d5' to='example.com'>"
           "<query xmlns='http://jabber.org/protocol/disco#info' node='x'/></iq>");
  expect_error(ErrorCondition::item_not_found, "d5");
  dispatch(items,
           "<iq type='get' id='d6' to='example.com'>"
           "<query xmlns='http://jabber.org/protocol/disco#items' node='x'/></iq>");
  expect_error(ErrorCondition::item_not_found, "d6");
}

TEST_F(DiscoTest, ForeignOrInvalidTargets) {
  dispatch(info,
           "<iq type='get' id='d7' to='other.org'>"
           "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  expect_error(ErrorCondition::service_unavailable, "d7");
  dispatch(info,
           "<iq type='get' id='d8' to='a@b@example.com'>"
           "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  expect_error(ErrorCondition::jid_malformed, "d8");
}

TEST_F(DiscoTest, SetIsBadRequest) {
  dispatch(info,
           "<iq type='set' id='d9'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  expect_error(ErrorCondition::bad_request, "d9");
}

TEST_F(DiscoTest, ItemsAreEmptyForServerAndAccounts) {
  dispatch(items,
           "<iq type='get' id='i1' to='example.com'>"
           "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  const auto* query = result("i1").child("query", "http://jabber.org/protocol/disco#items");
  ASSERT_NE(query, nullptr);
  EXPECT_TRUE(query->element_children().empty());
  dispatch(items,
           "<iq type='get' id='i2' to='romeo@example.com'>"
           "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  EXPECT_NE(result("i2").child("query", "http://jabber.org/protocol/disco#items"), nullptr);
  dispatch(items,
           "<iq type='get' id='i3' to='nobody@example.com'>"
           "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  expect_error(ErrorCondition::item_not_found, "i3");
}

}  // namespace
}  // namespace parley::xmpp::test
