#include "adapters/xmpp/wire/stream_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/adapters/xmpp/wire/parser_recorder.hpp"

namespace parley::xmpp::wire {
namespace {

using testing::Recorder;
using testing::run;

constexpr std::string_view kHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
    "xmlns:stream='http://etherx.jabber.org/streams' to='example.org' version='1.0' "
    "xml:lang='en'>";

std::string stream(std::string_view body) {
  return std::string(kHeader) + std::string(body);
}

// Runs the input both ways and checks that the events are identical.
Recorder run_both(std::string_view input, ParserLimits limits = {}) {
  Recorder whole = run(input, false, limits);
  Recorder bytes = run(input, true, limits);
  EXPECT_EQ(whole.events, bytes.events) << "input: " << input;
  return whole;
}

TEST(StreamParserTest, OpensStreamAndEmitsStanzas) {
  auto r =
      run_both(stream("<message to='juliet@example.com' id='m1' type='chat' xml:lang='en'>"
                      "<body>Art thou not Romeo?</body></message>"
                      "<presence/></stream:stream>"));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].to, "example.org");
  EXPECT_EQ(r.headers[0].version, "1.0");
  EXPECT_EQ(r.headers[0].lang, "en");
  EXPECT_EQ(r.headers[0].content_ns, "jabber:client");
  EXPECT_TRUE(r.headers[0].stream_ns_ok);
  ASSERT_EQ(r.stanzas.size(), 2u);
  const XmlElement& m = r.stanzas[0];
  EXPECT_EQ(m.name(), "message");
  EXPECT_EQ(m.xmlns(), "jabber:client");
  EXPECT_EQ(m.attr_or("xml:lang"), "en");
  EXPECT_EQ(m.child_text("body", "jabber:client"), "Art thou not Romeo?");
  EXPECT_EQ(r.events.back(), "close");
  EXPECT_TRUE(r.errors.empty());
}

TEST(StreamParserTest, WholeAndByteByByteGiveTheSameEvents) {
  const std::vector<std::string> inputs = {
      stream("<iq type='get' id='a'><query xmlns='jabber:iq:roster'/></iq>"),
      stream("  \n<presence><show>away</show><status>caf\xC3\xA9 &amp; &#x41;&#66;</status>"
             "</presence>\t </stream:stream>"),
      stream("<message><body><![CDATA[<not a tag> & co]]></body></message>"),
      stream("<message><body>x</body></message><message><foo xmlns='urn:x'><bar a='1'/>"
             "</foo></message>"),
      stream("<message><!-- hidden --></message>"),
      stream("<message><body>unclosed</message>"),
      stream("<iq>\xF0\x9F\x98\x80 \xE2\x82\xAC</iq>"),
      "<stream:stream xmlns:stream='urn:wrong' xmlns='jabber:client'>",
  };
  for (const auto& input : inputs) run_both(input);
}

TEST(StreamParserTest, NamespacesPrefixesAndLangArePreserved) {
  auto r =
      run_both(stream("<message xmlns:ext='urn:example:ext' xml:lang='de'>"
                      "<ext:data kind='k'><ext:item>1</ext:item></ext:data>"
                      "<body xml:lang='fr'>Bonjour</body>"
                      "<stream:features/></message>"));
  ASSERT_EQ(r.stanzas.size(), 1u);
  const XmlElement& m = r.stanzas[0];
  EXPECT_EQ(m.attr_or("xml:lang"), "de");
  const XmlElement* data = m.child("data", "urn:example:ext");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->child("item")->xmlns(), "urn:example:ext");
  EXPECT_EQ(m.child("body")->attr_or("xml:lang"), "fr");
  EXPECT_NE(m.child("features", "http://etherx.jabber.org/streams"), nullptr);
  EXPECT_EQ(m.serialize("jabber:client"),
            "<message xml:lang='de'><data xmlns='urn:example:ext' kind='k'><item>1</item></data>"
            "<body xml:lang='fr'>Bonjour</body><stream:features/></message>");
}

TEST(StreamParserTest, UnknownChildrenRoundTripUntouched) {
  const std::string payload =
      "<x xmlns='urn:xmpp:custom:0' a='1' b='&lt;2&gt;'><deep><deeper>text &amp; more"
      "</deeper><empty/></deep>tail</x>";
  auto r = run_both(stream("<message>" + payload + "</message>"));
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(r.stanzas[0].child("x")->serialize("jabber:client"), payload);
}

TEST(StreamParserTest, WhitespaceKeepalivesAreIgnored) {
  auto r = run_both(stream(" \n \t <presence/>\n\n \r\n<presence/> "));
  EXPECT_EQ(r.stanzas.size(), 2u);
  EXPECT_TRUE(r.errors.empty());
}

TEST(StreamParserTest, TextBetweenStanzasIsNotWellFormed) {
  auto r = run_both(stream("<presence/>hello"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::not_well_formed);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

TEST(StreamParserTest, StanzaBeforeStreamHeaderIsBadFormat) {
  auto r = run_both("<message to='a@b'><body>x</body></message>");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::bad_format);
  EXPECT_TRUE(r.headers.empty());
  EXPECT_TRUE(r.stanzas.empty());
}

TEST(StreamParserTest, WrongStreamNamespaceIsInvalidNamespace) {
  auto r = run_both(
      "<stream:stream xmlns='jabber:client' xmlns:stream='http://example.org/streams' "
      "to='example.org'><presence/>");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_FALSE(r.headers[0].stream_ns_ok);
  EXPECT_EQ(r.headers[0].to, "example.org");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::invalid_namespace);
  EXPECT_TRUE(r.stanzas.empty());
}

TEST(StreamParserTest, MissingDefaultNamespaceIsReportedEmpty) {
  auto r = run_both("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].content_ns, "");
}

struct Bad {
  const char* name;
  std::string input;
  ParseError expected;
};

class RefusedInputTest : public ::testing::TestWithParam<Bad> {};

TEST_P(RefusedInputTest, IsRefusedTheSameWayWholeAndByteByByte) {
  const Bad& bad = GetParam();
  auto r = run_both(bad.input);
  ASSERT_EQ(r.errors.size(), 1u) << bad.name;
  EXPECT_EQ(r.errors[0], bad.expected) << bad.name;
  EXPECT_EQ(r.events.back().rfind("error ", 0), 0u) << "error is the last event: " << bad.name;
}

const std::string kBillionLaughs =
    "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
    "<!ENTITY lol1 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
    "<!ENTITY lol2 '&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;'>]>"
    "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
    "<message><body>&lol2;</body></message>";

INSTANTIATE_TEST_SUITE_P(
    Restricted, RefusedInputTest,
    ::testing::Values(
        Bad{"doctype", "<!DOCTYPE stream>" + stream(""), ParseError::restricted_xml},
        Bad{"billion laughs", kBillionLaughs, ParseError::restricted_xml},
        Bad{"processing instruction", stream("<?evil data?>"), ParseError::restricted_xml},
        Bad{"pi in stanza", stream("<message><?php echo 1; ?></message>"),
            ParseError::restricted_xml},
        Bad{"comment between stanzas", stream("<!-- c -->"), ParseError::restricted_xml},
        Bad{"comment in stanza", stream("<message><body>a<!--c-->b</body></message>"),
            ParseError::restricted_xml},
        Bad{"comment before header", "<!-- c -->" + stream(""), ParseError::restricted_xml}));

INSTANTIATE_TEST_SUITE_P(
    Malformed, RefusedInputTest,
    ::testing::Values(
        Bad{"mismatched tags", stream("<message><body></message></body>"),
            ParseError::not_well_formed},
        Bad{"bad utf-8", stream("<message><body>\xC3\x28</body></message>"),
            ParseError::not_well_formed},
        Bad{"overlong utf-8", stream("<message><body>\xC0\xAF</body></message>"),
            ParseError::not_well_formed},
        Bad{"lt in attribute", stream("<message id='a<b'/>"), ParseError::not_well_formed},
        Bad{"undefined entity", stream("<message><body>&foo;</body></message>"),
            ParseError::not_well_formed},
        Bad{"unbound prefix", stream("<foo:message/>"), ParseError::not_well_formed},
        Bad{"duplicate attribute", stream("<message id='1' id='2'/>"), ParseError::not_well_formed},
        Bad{"second xml declaration", stream("<?xml version='1.0'?>"), ParseError::not_well_formed},
        Bad{"control character", stream("<message><body>\x01</body></message>"),
            ParseError::not_well_formed},
        Bad{"junk after stream close", stream("</stream:stream><presence/>"),
            ParseError::not_well_formed}));

TEST(StreamParserTest, StanzaSizeCapIsPolicyViolation) {
  ParserLimits limits;
  limits.max_stanza_bytes = 300;  // the stream header (~150 bytes) is capped too
  std::string big = "<message><body>" + std::string(400, 'a') + "</body></message>";
  auto r = run_both(stream(big), limits);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::policy_violation);
  EXPECT_TRUE(r.stanzas.empty());
}

TEST(StreamParserTest, OversizedStreamHeaderIsPolicyViolation) {
  ParserLimits limits;
  limits.max_stanza_bytes = 100;
  auto r = run_both(stream("<presence/>"), limits);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::policy_violation);
  EXPECT_TRUE(r.headers.empty());
}

TEST(StreamParserTest, ManySmallStanzasInOneChunkAreNotCapped) {
  ParserLimits limits;
  limits.max_stanza_bytes = 200;
  std::string many;
  for (int i = 0; i < 50; ++i) many += "<message><body>0123456789</body></message> ";
  auto r = run_both(stream(many), limits);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.stanzas.size(), 50u);
}

TEST(StreamParserTest, UnfinishedHugeTokenIsCappedWhileStillArriving) {
  ParserLimits limits;
  limits.max_stanza_bytes = 1024;
  Recorder r;
  StreamParser parser(limits, r.callbacks());
  ASSERT_TRUE(parser.feed(stream("<message id='")));
  std::string chunk(256, 'x');
  int fed = 0;
  while (parser.feed(chunk) && fed < 100) ++fed;
  EXPECT_LT(fed, 10);  // refused soon after the cap, not after the attribute ends
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::policy_violation);
  EXPECT_FALSE(parser.feed("<presence/>"));  // stays stopped
}

TEST(StreamParserTest, DepthCapIsPolicyViolation) {
  ParserLimits limits;
  limits.max_depth = 4;  // stream(1) message(2) a(3) b(4)
  auto ok = run_both(stream("<message><a><b/></a></message>"), limits);
  EXPECT_TRUE(ok.errors.empty());
  auto r = run_both(stream("<message><a><b><c/></b></a></message>"), limits);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::policy_violation);
}

TEST(StreamParserTest, AttributeCapIsPolicyViolation) {
  ParserLimits limits;
  limits.max_attributes = 3;
  EXPECT_TRUE(run_both(stream("<message a='1' b='2' c='3'/>"), limits).errors.empty());
  auto r = run_both(stream("<message a='1' b='2' c='3' d='4'/>"), limits);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::policy_violation);
}

TEST(StreamParserTest, PendingStanzaBytesCountsTheUnfinishedStanza) {
  Recorder r;
  StreamParser parser({}, r.callbacks());
  ASSERT_TRUE(parser.feed(stream("")));
  EXPECT_EQ(parser.pending_stanza_bytes(), 0u);
  ASSERT_TRUE(parser.feed("<message><body>12345"));
  EXPECT_EQ(parser.pending_stanza_bytes(), std::string("<message><body>12345").size());
  ASSERT_TRUE(parser.feed("</body></message>"));
  EXPECT_EQ(parser.pending_stanza_bytes(), 0u);
}

TEST(StreamParserTest, ResetInsideCallbackRestartsTheStream) {
  Recorder r;
  StreamParser* self = nullptr;
  auto callbacks = r.callbacks();
  auto record_stanza = callbacks.on_stanza;
  callbacks.on_stanza = [&](XmlElement&& e) {
    bool restart = e.name() == "auth";
    record_stanza(std::move(e));
    if (restart) self->reset();  // e.g. SASL success (RFC 6120 §6.4.6)
  };
  StreamParser parser({}, callbacks);
  self = &parser;
  // Bytes after the restart point in the same chunk belong to the old stream: dropped.
  EXPECT_TRUE(parser.feed(stream("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><junk/>")));
  // The new stream starts with a fresh header (an XML declaration is allowed again).
  std::string second = stream("<iq id='bind'/>");
  for (char c : second) ASSERT_TRUE(parser.feed(std::string_view(&c, 1)));
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.headers.size(), 2u);
  ASSERT_EQ(r.stanzas.size(), 2u);
  EXPECT_EQ(r.stanzas[0].name(), "auth");
  EXPECT_EQ(r.stanzas[1].name(), "iq");
}

TEST(StreamParserTest, ResetInsideErrorCallbackAllowsANewStream) {
  Recorder r;
  StreamParser* self = nullptr;
  auto callbacks = r.callbacks();
  auto record_error = callbacks.on_error;
  callbacks.on_error = [&](ParseError e, std::string d) {
    record_error(e, std::move(d));
    self->reset();
  };
  StreamParser parser({}, callbacks);
  self = &parser;
  EXPECT_FALSE(parser.feed(stream("<a></b>")));
  EXPECT_TRUE(parser.feed(stream("<presence/>")));
  EXPECT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

TEST(StreamParserTest, ResetOutsideFeedDiscardsPartialInput) {
  Recorder r;
  StreamParser parser({}, r.callbacks());
  ASSERT_TRUE(parser.feed(stream("<message><bo")));
  parser.reset();
  EXPECT_EQ(parser.pending_stanza_bytes(), 0u);
  ASSERT_TRUE(parser.feed(stream("<presence/>")));
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(r.stanzas[0].name(), "presence");
}

TEST(StreamParserTest, FeedAfterErrorKeepsFailing) {
  Recorder r;
  StreamParser parser({}, r.callbacks());
  EXPECT_FALSE(parser.feed(stream("<a></b>")));
  EXPECT_FALSE(parser.feed("<presence/>"));
  EXPECT_EQ(r.errors.size(), 1u);
}

TEST(StreamParserTest, ErrorConditionNames) {
  EXPECT_EQ(parse_error_condition(ParseError::not_well_formed), "not-well-formed");
  EXPECT_EQ(parse_error_condition(ParseError::restricted_xml), "restricted-xml");
  EXPECT_EQ(parse_error_condition(ParseError::policy_violation), "policy-violation");
  EXPECT_EQ(parse_error_condition(ParseError::invalid_namespace), "invalid-namespace");
  EXPECT_EQ(parse_error_condition(ParseError::bad_format), "bad-format");
}

TEST(StreamParserTest, SerializeStreamHeaderEscapesAndOmitsEmptyFields) {
  StreamHeader h;
  h.id = "abc'<";
  h.from = "example.org";
  h.version = "1.0";
  h.lang = "en";
  EXPECT_EQ(serialize_stream_header(h),
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            "xmlns:stream='http://etherx.jabber.org/streams' id='abc&apos;&lt;' "
            "from='example.org' version='1.0' xml:lang='en'>");
  // What we write, we can read.
  auto r = run_both(serialize_stream_header(h));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].id, "abc'<");
  EXPECT_EQ(r.headers[0].from, "example.org");
  EXPECT_EQ(r.headers[0].to, "");
}

}  // namespace
}  // namespace parley::xmpp::wire
