#include "mapping/xmpp/stream_error_codec.hpp"

#include <gtest/gtest.h>

#include "adapters/xmpp/wire/stream_parser.hpp"

namespace parley::mapping::xmpp {
namespace {

TEST(StreamErrorCodecTest, SerializesWithTheStreamPrefix) {
  EXPECT_EQ(serialize_stream_error(StreamErrorCondition::host_unknown),
            "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "</stream:error>");
  EXPECT_EQ(serialize_stream_error(StreamErrorCondition::policy_violation, "too <big>"),
            "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>too &lt;big&gt;</text>"
            "</stream:error>");
}

TEST(StreamErrorCodecTest, NamesRoundTripForEveryCondition) {
  for (int i = 0; i <= static_cast<int>(StreamErrorCondition::unsupported_version); ++i) {
    auto condition = static_cast<StreamErrorCondition>(i);
    auto name = stream_error_name(condition);
    EXPECT_NE(name, "");
    EXPECT_EQ(stream_error_from_name(name), condition) << name;
  }
  EXPECT_FALSE(stream_error_from_name("made-up").has_value());
}

TEST(StreamErrorCodecTest, ParseErrorsMapToTheirConditions) {
  using wire::ParseError;
  for (ParseError e :
       {ParseError::not_well_formed, ParseError::restricted_xml, ParseError::policy_violation,
        ParseError::invalid_namespace, ParseError::bad_format}) {
    EXPECT_EQ(stream_error_name(stream_error_for(e)), wire::parse_error_condition(e));
  }
}

TEST(StreamErrorCodecTest, AStreamParserReadsWhatWeWrite) {
  // A peer's parser sees <stream:error> in the stream namespace, as RFC 6120 §4.9.2 requires.
  std::vector<wire::XmlElement> stanzas;
  wire::StreamParser parser(
      {}, {.on_stream_open = {},
           .on_stanza = [&](wire::XmlElement&& e) { stanzas.push_back(std::move(e)); },
           .on_stream_close = {},
           .on_error = {}});
  wire::StreamHeader header;
  ASSERT_TRUE(parser.feed(wire::serialize_stream_header(header)));
  ASSERT_TRUE(parser.feed(serialize_stream_error(StreamErrorCondition::conflict, "replaced")));
  ASSERT_EQ(stanzas.size(), 1u);
  EXPECT_EQ(stanzas[0].name(), "error");
  EXPECT_EQ(stanzas[0].xmlns(), "http://etherx.jabber.org/streams");
  EXPECT_NE(stanzas[0].child("conflict", "urn:ietf:params:xml:ns:xmpp-streams"), nullptr);
  EXPECT_EQ(stanzas[0].child_text("text", "urn:ietf:params:xml:ns:xmpp-streams"), "replaced");
}

}  // namespace
}  // namespace parley::mapping::xmpp
