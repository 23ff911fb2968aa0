// Addressing and result helpers shared by the features.
#include "adapters/xmpp/features/iq_util.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using features::TargetKind;

class IqUtilTest : public FeatureTest {
 protected:
  TargetKind kind_of(std::string_view to) {
    wire::XmlElement iq("iq", "jabber:client");
    if (!to.empty()) iq.set_attr("to", std::string(to));
    return features::classify_target(session, iq).kind;
  }
};

TEST_F(IqUtilTest, ClassifiesTargets) {
  session.xmpp_config.domains = {"example.com", "other.example.com"};
  EXPECT_EQ(kind_of(""), TargetKind::unaddressed);
  EXPECT_EQ(kind_of("example.com"), TargetKind::server);
  EXPECT_EQ(kind_of("other.example.com"), TargetKind::server);
  EXPECT_EQ(kind_of("juliet@example.com"), TargetKind::self);
  EXPECT_EQ(kind_of("JULIET@example.com"), TargetKind::self);  // prepared before comparing
  EXPECT_EQ(kind_of("romeo@example.com"), TargetKind::other_account);
  EXPECT_EQ(kind_of("romeo@other.example.com"), TargetKind::other_account);
  EXPECT_EQ(kind_of("juliet@example.com/balcony"), TargetKind::foreign);
  EXPECT_EQ(kind_of("romeo@elsewhere.org"), TargetKind::foreign);
  EXPECT_EQ(kind_of("elsewhere.org"), TargetKind::foreign);
  EXPECT_EQ(kind_of("a@b@example.com"), TargetKind::invalid);
}

TEST_F(IqUtilTest, BeforeAuthenticationNothingIsSelf) {
  logged_out();
  EXPECT_EQ(kind_of("juliet@example.com"), TargetKind::other_account);
}

TEST_F(IqUtilTest, ResultSwapsAddressesAndKeepsId) {
  const wire::XmlElement request =
      xml("<iq type='get' id='x1' from='juliet@example.com/balcony' to='example.com'>"
          "<ping xmlns='urn:xmpp:ping'/></iq>");
  const wire::XmlElement reply = features::make_result(session, request);
  EXPECT_EQ(reply.name(), "iq");
  EXPECT_EQ(reply.xmlns(), "jabber:client");
  EXPECT_EQ(reply.attr_or("type"), "result");
  EXPECT_EQ(reply.attr_or("id"), "x1");
  EXPECT_EQ(reply.attr_or("from"), "example.com");
  EXPECT_EQ(reply.attr_or("to"), "juliet@example.com/balcony");
  EXPECT_TRUE(reply.element_children().empty());
}

TEST_F(IqUtilTest, ResultBeforeBindingHasNoTo) {
  logged_out();
  const wire::XmlElement reply =
      features::make_result(session, xml("<iq type='get' id='x2'><q xmlns='urn:q'/></iq>"));
  EXPECT_FALSE(reply.attr("to").has_value());
  EXPECT_FALSE(reply.attr("from").has_value());
}

}  // namespace
}  // namespace parley::xmpp::test
