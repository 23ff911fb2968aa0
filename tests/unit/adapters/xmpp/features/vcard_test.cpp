// XEP-0054 vcard-temp get/set.
#include "adapters/xmpp/features/handlers.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using model::ErrorCondition;

class VCardTest : public FeatureTest {
 protected:
  IqHandler handler = features::make_vcard_handler();
};

TEST_F(VCardTest, GetWithoutStoredVCardIsEmptyVCard) {
  dispatch(handler, "<iq type='get' id='v1'><vCard xmlns='vcard-temp'/></iq>");
  const auto* vcard = result("v1").child("vCard", "vcard-temp");
  ASSERT_NE(vcard, nullptr);
  EXPECT_TRUE(vcard->element_children().empty());
}

TEST_F(VCardTest, SetThenGetRoundTrips) {
  dispatch(handler,
           "<iq type='set' id='v2'><vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN>"
           "<NICKNAME>J &amp; C</NICKNAME></vCard></iq>");
  result("v2");
  ASSERT_EQ(store.vcards.vcards.count(addr("juliet@example.com")), 1u);

  dispatch(handler, "<iq type='get' id='v3'><vCard xmlns='vcard-temp'/></iq>");
  const auto* vcard = result("v3").child("vCard", "vcard-temp");
  ASSERT_NE(vcard, nullptr);
  EXPECT_EQ(vcard->child_text("FN"), "Juliet Capulet");
  EXPECT_EQ(vcard->child_text("NICKNAME"), "J & C");
}

TEST_F(VCardTest, GetOfAnotherAccount) {
  store.vcards.vcards[addr("romeo@example.com")] =
      "<vCard xmlns='vcard-temp'><FN>Romeo Montague</FN></vCard>";
  dispatch(handler,
           "<iq type='get' id='v4' to='romeo@example.com'><vCard xmlns='vcard-temp'/></iq>");
  const auto& reply = result("v4");
  EXPECT_EQ(reply.attr_or("from"), "romeo@example.com");
  const auto* vcard = reply.child("vCard", "vcard-temp");
  ASSERT_NE(vcard, nullptr);
  EXPECT_EQ(vcard->child_text("FN"), "Romeo Montague");
}

TEST_F(VCardTest, GetOfUnknownAccountIsServiceUnavailable) {
  // RFC 6121 §8.5.1
  dispatch(handler,
           "<iq type='get' id='v5' to='nobody@example.com'><vCard xmlns='vcard-temp'/></iq>");
  expect_error(ErrorCondition::service_unavailable, "v5");
}

TEST_F(VCardTest, SetOfAnotherAccountIsForbidden) {
  dispatch(handler,
           "<iq type='set' id='v6' to='romeo@example.com'><vCard xmlns='vcard-temp'>"
           "<FN>Impostor</FN></vCard></iq>");
  expect_error(ErrorCondition::forbidden, "v6");
  EXPECT_TRUE(store.vcards.vcards.empty());
}

TEST_F(VCardTest, OversizedVCardIsNotAcceptable) {
  std::string request = "<iq type='set' id='v7'><vCard xmlns='vcard-temp'><DESC>";
  request.append(70 * 1024, 'x');
  request += "</DESC></vCard></iq>";
  wire::ParserLimits limits;
  limits.max_stanza_bytes = 256 * 1024;
  auto iq = wire::parse_fragment(request, "jabber:client", limits);
  ASSERT_TRUE(iq.ok());
  handler(session, iq.value());
  session.run_posted();
  ASSERT_EQ(session.errors.size(), 1u);
  EXPECT_EQ(session.errors.back().error.condition, ErrorCondition::not_acceptable);
  EXPECT_TRUE(store.vcards.vcards.empty());
}

TEST_F(VCardTest, UnreadableStoredVCardFallsBackToEmpty) {
  store.vcards.vcards[addr("juliet@example.com")] = "<vCard xmlns='vcard-temp'><FN>";
  dispatch(handler, "<iq type='get' id='v8'><vCard xmlns='vcard-temp'/></iq>");
  const auto* vcard = result("v8").child("vCard", "vcard-temp");
  ASSERT_NE(vcard, nullptr);
  EXPECT_TRUE(vcard->element_children().empty());
}

TEST_F(VCardTest, StoreFailureIsInternalServerError) {
  store.fail_next = true;
  dispatch(handler, "<iq type='set' id='v9'><vCard xmlns='vcard-temp'><FN>J</FN></vCard></iq>");
  expect_error(ErrorCondition::internal_server_error, "v9");
}

}  // namespace
}  // namespace parley::xmpp::test
