#include "mapping/xmpp/error_codec.hpp"

#include <gtest/gtest.h>

#include "tests/unit/mapping/xmpp/xml_test_util.hpp"

namespace parley::mapping::xmpp {
namespace {

using model::ErrorCondition;
using model::ErrorType;
using model::StanzaError;
using testing::semantically_equal;
using testing::xml;

TEST(ErrorCodecTest, SerializesConditionAndText) {
  auto e = error_to_xml(StanzaError{ErrorType::cancel, ErrorCondition::item_not_found, "gone"});
  EXPECT_EQ(e.serialize("jabber:client"),
            "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>gone</text></error>");
}

TEST(ErrorCodecTest, EveryConditionRoundTrips) {
  for (int i = 0; i <= static_cast<int>(ErrorCondition::unexpected_request); ++i) {
    auto condition = static_cast<ErrorCondition>(i);
    for (const auto& error : {StanzaError::make(condition), StanzaError::make(condition, "why"),
                              StanzaError{ErrorType::wait, condition, "t"}}) {
      EXPECT_EQ(error_from_xml(error_to_xml(error)), error) << model::condition_name(condition);
    }
  }
}

TEST(ErrorCodecTest, ParsingIsLenient) {
  auto unknown =
      error_from_xml(xml("<error><made-up xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                         "<x xmlns='urn:app'/></error>"));
  EXPECT_EQ(unknown.condition, ErrorCondition::undefined_condition);
  EXPECT_EQ(unknown.type, model::default_error_type(ErrorCondition::undefined_condition));

  auto no_type = error_from_xml(
      xml("<error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"));
  EXPECT_EQ(no_type.condition, ErrorCondition::not_authorized);
  EXPECT_EQ(no_type.type, ErrorType::auth);  // RFC 6120 §8.3.3.10

  auto wrong_ns = error_from_xml(xml("<error type='modify'><bad-request/></error>"));
  EXPECT_EQ(wrong_ns.condition, ErrorCondition::undefined_condition);
  EXPECT_EQ(wrong_ns.type, ErrorType::modify);
}

TEST(ErrorCodecTest, FindsTheErrorChildOfAStanza) {
  EXPECT_FALSE(find_stanza_error(xml("<message><body>x</body></message>")).has_value());
  auto found = find_stanza_error(
      xml("<message type='error'><error type='cancel'>"
          "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->condition, ErrorCondition::service_unavailable);
}

TEST(ErrorCodecTest, ErrorReplyToMessageKeepsThePayload) {
  auto request =
      xml("<message from='juliet@example.com/balcony' to='romeo@example.net' id='m1' type='chat'>"
          "<body>Hi</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>");
  auto reply = make_error_reply(request, StanzaError::make(ErrorCondition::service_unavailable));
  EXPECT_TRUE(semantically_equal(
      reply,
      xml("<message from='romeo@example.net' to='juliet@example.com/balcony' id='m1' "
          "type='error'><body>Hi</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
          "<error type='cancel'><service-unavailable "
          "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>")));
  EXPECT_FALSE(may_reply_with_error(reply));
  EXPECT_TRUE(may_reply_with_error(request));
}

TEST(ErrorCodecTest, ErrorReplyToIqDropsThePayloadAndMissingAddresses) {
  auto request =
      xml("<iq type='get' id='q1' to='example.org'>"
          "<query xmlns='urn:unknown'/></iq>");
  auto reply = make_error_reply(
      request, StanzaError::make(ErrorCondition::feature_not_implemented, "no such feature"));
  EXPECT_TRUE(semantically_equal(
      reply, xml("<iq from='example.org' id='q1' type='error'><error type='cancel'>"
                 "<feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                 "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no such feature</text>"
                 "</error></iq>")));
}

TEST(ErrorCodecTest, ErrorReplyToPresenceReplacesAnOldError) {
  auto request =
      xml("<presence to='x@example.org' type='subscribe'><status>hi</status>"
          "<error type='wait'><resource-constraint "
          "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>");
  auto reply = make_error_reply(request, StanzaError::make(ErrorCondition::forbidden));
  EXPECT_EQ(reply.children("error", "jabber:client").size(), 1u);
  EXPECT_EQ(find_stanza_error(reply)->condition, ErrorCondition::forbidden);
  EXPECT_EQ(reply.child_text("status", "jabber:client"), "hi");
}

}  // namespace
}  // namespace parley::mapping::xmpp
