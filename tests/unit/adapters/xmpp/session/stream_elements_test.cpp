#include "adapters/xmpp/stream_elements.hpp"

#include <gtest/gtest.h>

namespace parley::xmpp {
namespace {

std::vector<std::string> mechanisms(const wire::XmlElement& features) {
  std::vector<std::string> out;
  if (const auto* m = features.child("mechanisms", xmlns::kSasl)) {
    for (const auto* mech : m->children("mechanism")) out.push_back(mech->text());
  }
  return out;
}

TEST(StreamFeatures, BeforeRequiredTlsOnlyStarttls) {
  FeatureOffer offer;
  offer.starttls_possible = true;
  offer.require_starttls = true;
  auto features = make_stream_features(offer);
  ASSERT_EQ(features.element_children().size(), 1u);
  const auto* starttls = features.child("starttls", xmlns::kTls);
  ASSERT_NE(starttls, nullptr);
  EXPECT_NE(starttls->child("required", xmlns::kTls), nullptr);
  EXPECT_EQ(features.serialize(xmlns::kClient).rfind("<stream:features>", 0), 0u);
}

TEST(StreamFeatures, OptionalTlsOffersMechanismsWithoutPlain) {
  FeatureOffer offer;
  offer.starttls_possible = true;
  offer.require_starttls = false;
  auto features = make_stream_features(offer);
  const auto* starttls = features.child("starttls", xmlns::kTls);
  ASSERT_NE(starttls, nullptr);
  EXPECT_EQ(starttls->child("required"), nullptr);
  EXPECT_EQ(mechanisms(features), (std::vector<std::string>{"SCRAM-SHA-256", "SCRAM-SHA-1"}));
}

TEST(StreamFeatures, AfterTlsMechanismsIncludePlainAndRegistration) {
  FeatureOffer offer;
  offer.starttls_possible = true;
  offer.tls_active = true;
  offer.registration_enabled = true;
  auto features = make_stream_features(offer);
  EXPECT_EQ(features.child("starttls", xmlns::kTls), nullptr);
  EXPECT_EQ(mechanisms(features),
            (std::vector<std::string>{"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"}));
  EXPECT_NE(features.child("register", xmlns::kRegisterFeature), nullptr);
}

TEST(StreamFeatures, PlainCanBeDisabled) {
  FeatureOffer offer;
  offer.tls_active = true;
  offer.allow_plain = false;
  EXPECT_EQ(mechanisms(make_stream_features(offer)),
            (std::vector<std::string>{"SCRAM-SHA-256", "SCRAM-SHA-1"}));
}

TEST(StreamFeatures, AfterAuthentication) {
  FeatureOffer offer;
  offer.tls_active = true;
  offer.authenticated = true;
  auto features = make_stream_features(offer);
  EXPECT_NE(features.child("bind", xmlns::kBind), nullptr);
  const auto* session = features.child("session", xmlns::kSession);
  ASSERT_NE(session, nullptr);
  EXPECT_NE(session->child("optional"), nullptr);
  EXPECT_NE(features.child("sm", xmlns::kSm), nullptr);
  EXPECT_NE(features.child("ver", xmlns::kRosterVer), nullptr);
  EXPECT_NE(features.child("sub", xmlns::kPreApproval), nullptr);
  EXPECT_EQ(features.child("mechanisms", xmlns::kSasl), nullptr);
}

TEST(StreamElements, SaslDataIsBase64AndEmptyIsEmpty) {
  EXPECT_EQ(make_sasl_data("success", "").serialize(xmlns::kClient),
            "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  EXPECT_EQ(make_sasl_data("challenge", "abc").text(), "YWJj");
}

TEST(StreamElements, SaslFailure) {
  auto failure = make_sasl_failure("temporary-auth-failure", "too many failed attempts");
  EXPECT_NE(failure.child("temporary-auth-failure", xmlns::kSasl), nullptr);
  EXPECT_EQ(failure.child_text("text", xmlns::kSasl), "too many failed attempts");
}

TEST(StreamElements, SmElements) {
  auto enabled = make_sm_enabled("abc", true, 300);
  EXPECT_EQ(enabled.attr_or("id"), "abc");
  EXPECT_EQ(enabled.attr_or("resume"), "true");
  EXPECT_EQ(enabled.attr_or("max"), "300");
  EXPECT_FALSE(make_sm_enabled("", false, 300).attr("id"));
  EXPECT_EQ(make_sm_resumed("abc", 7).attr_or("h"), "7");
  EXPECT_NE(make_sm_failed("item-not-found").child("item-not-found", xmlns::kStanzas), nullptr);
  EXPECT_EQ(parse_sm_h(make_sm_ack(4294967295u)), 4294967295u);
}

TEST(StreamElements, ParseHRejectsGarbage) {
  for (const char* bad : {"", "-1", "4294967296", "12a", " 1", "0x10"}) {
    wire::XmlElement a("a", std::string(xmlns::kSm));
    a.set_attr("h", bad);
    EXPECT_FALSE(parse_sm_h(a)) << bad;
  }
  EXPECT_FALSE(parse_sm_h(wire::XmlElement("a", std::string(xmlns::kSm))));
}

TEST(StreamElements, BlockPush) {
  api::BlockListPush push;
  push.blocked = true;
  push.items.push_back(*model::Address::parse("spam@example.com"));
  auto iq = make_block_push(push, "alice@localhost/pc", "push-1");
  EXPECT_EQ(iq.attr_or("type"), "set");
  EXPECT_EQ(iq.attr_or("to"), "alice@localhost/pc");
  const auto* block = iq.child("block", xmlns::kBlocking);
  ASSERT_NE(block, nullptr);
  ASSERT_EQ(block->children("item").size(), 1u);
  EXPECT_EQ(block->children("item")[0]->attr_or("jid"), "spam@example.com");
  push.blocked = false;
  push.items.clear();
  auto unblock_all = make_block_push(push, "alice@localhost/pc", "push-2");
  ASSERT_NE(unblock_all.child("unblock", xmlns::kBlocking), nullptr);
  EXPECT_TRUE(unblock_all.child("unblock", xmlns::kBlocking)->element_children().empty());
}

TEST(StreamElements, BindResultAndIqResult) {
  auto bind = make_bind_result("b1", "alice@localhost/pc");
  EXPECT_EQ(bind.attr_or("id"), "b1");
  EXPECT_EQ(bind.child("bind", xmlns::kBind)->child_text("jid"), "alice@localhost/pc");
  wire::XmlElement request("iq", std::string(xmlns::kClient));
  request.set_attr("id", "s1");
  request.set_attr("from", "alice@localhost/pc");
  request.set_attr("to", "localhost");
  auto result = make_iq_result(request);
  EXPECT_EQ(result.attr_or("to"), "alice@localhost/pc");
  EXPECT_EQ(result.attr_or("from"), "localhost");
  EXPECT_EQ(result.attr_or("type"), "result");
}

}  // namespace
}  // namespace parley::xmpp
