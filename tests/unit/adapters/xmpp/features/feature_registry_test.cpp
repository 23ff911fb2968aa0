// make_feature_registry(): the dispatch table and the advertised features.
#include <algorithm>

#include "adapters/xmpp/features/feature_registry.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

class FeatureRegistryTest : public FeatureTest {};

TEST_F(FeatureRegistryTest, PostAuthHandlersCoverEveryFeature) {
  const FeatureRegistry registry = make_feature_registry(XmppConfig{});
  for (const char* ns :
       {"jabber:iq:roster", "http://jabber.org/protocol/disco#info",
        "http://jabber.org/protocol/disco#items", "jabber:iq:register", "vcard-temp",
        "urn:xmpp:blocking", "jabber:iq:private", "urn:xmpp:ping", "urn:xmpp:carbons:2",
        "jabber:iq:version", "urn:ietf:params:xml:ns:xmpp-session"}) {
    auto it = registry.iq_handlers.find(std::string_view(ns));
    ASSERT_NE(it, registry.iq_handlers.end()) << ns;
    EXPECT_TRUE(static_cast<bool>(it->second)) << ns;
  }
}

TEST_F(FeatureRegistryTest, RegistrationOnlyPreAuthWhenEnabled) {
  XmppConfig config;
  config.registration_enabled = false;
  FeatureRegistry registry = make_feature_registry(config);
  EXPECT_TRUE(registry.pre_auth_iq_handlers.empty());
  EXPECT_FALSE(contains(registry.server_features, "jabber:iq:register"));

  config.registration_enabled = true;
  registry = make_feature_registry(config);
  EXPECT_EQ(registry.pre_auth_iq_handlers.size(), 1u);
  EXPECT_EQ(registry.pre_auth_iq_handlers.count("jabber:iq:register"), 1u);
  EXPECT_TRUE(contains(registry.server_features, "jabber:iq:register"));
}

TEST_F(FeatureRegistryTest, AdvertisedFeatures) {
  const FeatureRegistry registry = make_feature_registry(XmppConfig{});
  for (const char* ns :
       {"http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
        "urn:xmpp:ping", "vcard-temp", "urn:xmpp:blocking", "urn:xmpp:carbons:2",
        "jabber:iq:private", "jabber:iq:version", "msgoffline", "urn:xmpp:sid:0"}) {
    EXPECT_TRUE(contains(registry.server_features, ns)) << ns;
  }
  EXPECT_FALSE(contains(registry.server_features, "jabber:iq:roster"));
  EXPECT_TRUE(contains(registry.account_features, "http://jabber.org/protocol/disco#info"));
}

TEST_F(FeatureRegistryTest, DiscoHandlerAnswersTheRegistrysFeatures) {
  const FeatureRegistry registry = make_feature_registry(XmppConfig{});
  const IqHandler& info =
      registry.iq_handlers.find("http://jabber.org/protocol/disco#info")->second;
  dispatch(info,
           "<iq type='get' id='d1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  const auto* query = result("d1").child("query", "http://jabber.org/protocol/disco#info");
  ASSERT_NE(query, nullptr);
  std::vector<std::string> vars;
  for (const auto* feature : query->children("feature")) vars.push_back(feature->attr_or("var"));
  std::vector<std::string> expected = registry.server_features;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(vars, expected);
}

TEST_F(FeatureRegistryTest, PreAuthRegistrationThroughTheTable) {
  XmppConfig config;
  config.registration_enabled = true;
  const FeatureRegistry registry = make_feature_registry(config);
  logged_out();
  session.xmpp_config.registration_enabled = true;
  const IqHandler& reg = registry.pre_auth_iq_handlers.find("jabber:iq:register")->second;
  dispatch(reg,
           "<iq type='set' id='r1'><query xmlns='jabber:iq:register'>"
           "<username>benvolio</username><password>peace</password></query></iq>");
  result("r1");
  EXPECT_EQ(store.accounts.accounts.count(addr("benvolio@example.com")), 1u);
}

}  // namespace
}  // namespace parley::xmpp::test
