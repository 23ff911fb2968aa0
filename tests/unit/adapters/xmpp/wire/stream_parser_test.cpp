#include "adapters/xmpp/wire/stream_parser.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
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

// What run_chunks() saw: every event, the error details (they carry line and column) and the
// stanza byte count after each chunk.
struct HibernationRun {
  std::vector<std::string> events;
  std::size_t hibernations = 0;  // how many hibernate() calls freed the parser
};

HibernationRun run_chunks(const std::vector<std::string_view>& chunks, bool hibernate,
                          ParserLimits limits = {}) {
  Recorder r;
  auto callbacks = r.callbacks();
  auto record_error = callbacks.on_error;
  callbacks.on_error = [&](ParseError e, std::string detail) {
    record_error(e, detail);
    r.events.push_back("detail " + detail);
  };
  HibernationRun run;
  StreamParser parser(limits, callbacks);
  for (std::string_view chunk : chunks) {
    bool ok = parser.feed(chunk);
    r.events.push_back("pending " + std::to_string(parser.pending_stanza_bytes()));
    if (!ok) break;
    if (hibernate && parser.hibernate()) ++run.hibernations;
  }
  run.events = std::move(r.events);
  return run;
}

std::vector<std::string_view> split_at(std::string_view input, std::size_t offset) {
  return {input.substr(0, offset), input.substr(offset)};
}

// `input` in chunks of `size` bytes (the last one shorter).
std::vector<std::string_view> chunks_of(std::string_view input, std::size_t size) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; i < input.size(); i += size) chunks.push_back(input.substr(i, size));
  return chunks;
}

// Runs the input both ways and checks that the events are identical; also byte by byte with
// hibernate() after every byte, which must change nothing observable.
Recorder run_both(std::string_view input, ParserLimits limits = {}) {
  Recorder whole = run(input, false, limits);
  Recorder bytes = run(input, true, limits);
  EXPECT_EQ(whole.events, bytes.events) << "input: " << input;
  auto single_bytes = chunks_of(input, 1);
  EXPECT_EQ(run_chunks(single_bytes, false, limits).events,
            run_chunks(single_bytes, true, limits).events)
      << "hibernating, input: " << input;
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

// Streams whose events must not depend on how the bytes are chunked.
std::vector<std::string> sample_streams() {
  return {
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
}

TEST(StreamParserTest, WholeAndByteByByteGiveTheSameEvents) {
  for (const auto& input : sample_streams()) run_both(input);
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

// ---- hibernation: hibernate() between chunks must change nothing observable ----
// (run_both() checks that too, for every test above.)

std::string read_corpus_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Streams that exercise what hibernation must restore: prefixes and default namespaces of the
// stream element, keepalive forms, CDATA at stream level, line/column counting, errors and
// stream close after a stanza boundary.
std::vector<std::string> hibernation_streams() {
  std::vector<std::string> streams = sample_streams();
  const std::vector<std::string> more = {
      // Server-to-server style: another stream prefix, jabber:server, a dialback prefix.
      "<?xml version='1.0'?>\n<s:stream xmlns:s='http://etherx.jabber.org/streams' "
      "xmlns='jabber:server' xmlns:db='jabber:server:dialback' to='a.example' "
      "from='b.example' version='1.0'>\n<db:result to='a.example' from='b.example'>key"
      "</db:result>\n<message from='x@b.example' to='y@a.example'><body>hi</body></message>"
      "\r\n</s:stream>",
      // A custom prefix declared on the stream element and used by later stanzas.
      "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client' "
      "xmlns:x='urn:example:x'><x:ping id='1'/> <message><x:data x:a='1'>1</x:data>"
      "</message></stream:stream>",
      // The stream namespace as the default namespace.
      "<stream xmlns='http://etherx.jabber.org/streams'><features/></stream>",
      // Keepalive forms, CDATA and character references at stream level.
      stream("<presence/> \r\n\t&#32;&#x20;<presence/>\r\r\n \n"),
      stream("<presence/><![CDATA[ \n ]]> <presence/><![CDATA[x]]>"),
      stream("<presence/> ]]> <presence/>"),
      stream("\n<presence/>\n\n  <message>\n<body>x</bdy></message>"),
      stream("<presence/>\n<message to='caf\xC3\xA9'/> \xC3\xA9"),
      stream("<presence/>\n</stream:stream>\n<presence/>"),
      stream("<presence/>\n</s:stream>"),
      stream("<presence/> <?pi x?>"),
      stream("<presence/>\n<!-- c -->"),
      stream("<presence/><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"),
      stream("<presence/>\n<foo:message/>"),
      stream("<presence/> <?xml version='1.0'?>"),
      stream("<presence/>\n&amp;"),
      stream("<presence/> \xC3\x28"),
      "<?xml version='1.0' encoding='UTF-8'?>\n\n  <stream:stream xmlns='jabber:client' "
      "xmlns:stream='http://etherx.jabber.org/streams'\n to='example.org'>\n<presence/>"
      "<a></b>",
  };
  streams.insert(streams.end(), more.begin(), more.end());
  return streams;
}

// The above plus the client transcripts of tests/corpus/xmpp (a few KB each).
std::vector<std::string> hibernation_streams_and_corpus() {
  std::vector<std::string> streams = hibernation_streams();
  for (const auto& entry : std::filesystem::directory_iterator(PARLEY_XMPP_CORPUS_DIR)) {
    if (entry.path().extension() == ".xml") streams.push_back(read_corpus_file(entry.path()));
  }
  return streams;
}

bool opens_stream(const HibernationRun& run) {
  return std::any_of(run.events.begin(), run.events.end(), [](const std::string& event) {
    return event.starts_with("open ") && !event.ends_with(" bad-ns");
  });
}

TEST(StreamParserHibernationTest, HibernatingBetweenChunksOfAnySizeChangesNothing) {
  for (const auto& input : hibernation_streams_and_corpus()) {
    SCOPED_TRACE(input);
    std::size_t hibernations = 0;
    for (std::size_t size = 1; size <= 64; ++size) {
      auto chunks = chunks_of(input, size);
      auto hibernating = run_chunks(chunks, true);
      ASSERT_EQ(run_chunks(chunks, false).events, hibernating.events) << "chunks of " << size;
      hibernations += hibernating.hibernations;
    }
    if (opens_stream(run_chunks({input}, false))) {
      EXPECT_GT(hibernations, 0u);
    }
  }
}

// Two chunks: a wake-up followed by everything else in one piece, from every byte offset.
TEST(StreamParserHibernationTest, HibernatingAtEverySplitChangesNothing) {
  for (const auto& input : hibernation_streams()) {
    SCOPED_TRACE(input);
    std::size_t hibernations = 0;
    for (std::size_t offset = 0; offset <= input.size(); ++offset) {
      auto chunks = split_at(input, offset);
      auto hibernating = run_chunks(chunks, true);
      ASSERT_EQ(run_chunks(chunks, false).events, hibernating.events) << "split at " << offset;
      hibernations += hibernating.hibernations;
    }
    // A stream that opens can at least hibernate when split just after its header.
    if (opens_stream(run_chunks({input}, false))) {
      EXPECT_GT(hibernations, 0u);
    }
  }
}

TEST(StreamParserHibernationTest, SizeCapsAreTheSameAcrossHibernation) {
  ParserLimits limits;
  limits.max_stanza_bytes = 220;  // the stream header (~165 bytes) is capped too
  const std::string input =
      stream("<message><body>" + std::string(150, 'a') + "</body></message> <presence/>" +
             "<message><body>" + std::string(250, 'b') + "</body></message>");
  std::size_t hibernations = 0;
  for (std::size_t offset = 0; offset <= input.size(); ++offset) {
    auto chunks = split_at(input, offset);
    auto hibernating = run_chunks(chunks, true, limits);
    ASSERT_EQ(run_chunks(chunks, false, limits).events, hibernating.events) << offset;
    hibernations += hibernating.hibernations;
  }
  EXPECT_GT(hibernations, 0u);
  auto bytes = chunks_of(input, 1);
  auto hibernating = run_chunks(bytes, true, limits);
  EXPECT_EQ(run_chunks(bytes, false, limits).events, hibernating.events);
  EXPECT_EQ(hibernating.events.end()[-2], "detail stanza exceeds the size limit");
}

TEST(StreamParserHibernationTest, WakesWithTheStreamNamespacesOfTheHeader) {
  Recorder r;
  StreamParser parser({}, r.callbacks());
  ASSERT_TRUE(
      parser.feed("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:server' "
                  "xmlns:db='jabber:server:dialback'>"));
  EXPECT_TRUE(parser.hibernate());
  ASSERT_TRUE(parser.feed("<db:result to='a.example'>key</db:result>"));
  EXPECT_TRUE(parser.hibernate());
  ASSERT_TRUE(parser.feed("<message><s:features/></message>"));
  EXPECT_TRUE(parser.hibernate());
  ASSERT_TRUE(parser.feed("</s:stream>"));
  ASSERT_EQ(r.headers.size(), 1u);  // the replayed header is not reported again
  EXPECT_EQ(r.headers[0].content_ns, "jabber:server");
  ASSERT_EQ(r.stanzas.size(), 2u);
  EXPECT_EQ(r.stanzas[0].xmlns(), "jabber:server:dialback");
  EXPECT_EQ(r.stanzas[0].text(), "key");
  EXPECT_EQ(r.stanzas[1].xmlns(), "jabber:server");
  EXPECT_NE(r.stanzas[1].child("features", "http://etherx.jabber.org/streams"), nullptr);
  EXPECT_EQ(r.events.back(), "close");
  EXPECT_TRUE(r.errors.empty());
}

TEST(StreamParserHibernationTest, StreamClosesAndErrsAfterWakingUp) {
  Recorder closed;
  StreamParser parser({}, closed.callbacks());
  ASSERT_TRUE(parser.feed(stream("<presence/>")));
  ASSERT_TRUE(parser.hibernate());
  ASSERT_TRUE(parser.feed(" </stream:stream>"));
  EXPECT_EQ(closed.events.back(), "close");
  EXPECT_FALSE(parser.hibernate());  // after the close

  Recorder failed;
  StreamParser other({}, failed.callbacks());
  ASSERT_TRUE(other.feed(stream("<presence/>")));
  ASSERT_TRUE(other.hibernate());
  EXPECT_FALSE(other.feed("<message><body></message>"));
  ASSERT_EQ(failed.errors.size(), 1u);
  EXPECT_EQ(failed.errors[0], ParseError::not_well_formed);
  EXPECT_FALSE(other.hibernate());  // after the error
  EXPECT_FALSE(other.feed("<presence/>"));
}

TEST(StreamParserHibernationTest, ErrorDetailsKeepTheirLineAndColumn) {
  const std::string before = stream("\n<presence/>\n  <presence/>");
  const std::string after = "\n <a></b>";
  auto plain = run_chunks({before, after}, false);
  auto hibernating = run_chunks({before, after}, true);
  EXPECT_EQ(hibernating.hibernations, 1u);
  EXPECT_EQ(plain.events, hibernating.events);
  EXPECT_EQ(hibernating.events.end()[-2], "detail mismatched tag at line 4, column 6");
}

TEST(StreamParserHibernationTest, IsRefusedBeforeTheStreamHeader) {
  Recorder r;
  StreamParser parser({}, r.callbacks());
  EXPECT_FALSE(parser.hibernate());
  ASSERT_TRUE(parser.feed(kHeader.substr(0, 30)));
  EXPECT_FALSE(parser.hibernate());
  ASSERT_TRUE(parser.feed(kHeader.substr(30)));
  EXPECT_TRUE(parser.hibernate());
  EXPECT_FALSE(parser.hibernate());  // nothing left to free
  ASSERT_TRUE(parser.feed("<presence/>"));
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.stanzas.size(), 1u);
}

TEST(StreamParserHibernationTest, IsRefusedMidStanza) {
  Recorder r;
  StreamParser parser({}, r.callbacks());
  ASSERT_TRUE(parser.feed(stream("<message><body>12")));
  EXPECT_FALSE(parser.hibernate());
  ASSERT_TRUE(parser.feed("345</body>"));
  EXPECT_FALSE(parser.hibernate());
  EXPECT_EQ(parser.pending_stanza_bytes(), std::string("<message><body>12345</body>").size());
  ASSERT_TRUE(parser.feed("</message>"));
  EXPECT_TRUE(parser.hibernate());
  ASSERT_EQ(r.stanzas.size(), 1u);
  EXPECT_EQ(r.stanzas[0].child_text("body"), "12345");
}

TEST(StreamParserHibernationTest, IsRefusedMidToken) {
  // Each chunk ends with bytes expat holds back until it sees what follows.
  const std::vector<std::pair<std::string, std::string>> cuts = {
      {"<presence/><mes", "sage/>"},                 // an unfinished tag
      {"<presence/>\r", "\n<presence/>"},            // a CR that may start a CRLF
      {"<presence/><![CDATA[ ", " ]]><presence/>"},  // inside a CDATA section
      {"<presence/><", "presence/>"},
      {"<presence/></stream:str", "eam>"},
  };
  for (const auto& [first, second] : cuts) {
    SCOPED_TRACE(first);
    Recorder r;
    StreamParser parser({}, r.callbacks());
    ASSERT_TRUE(parser.feed(stream(first)));
    EXPECT_FALSE(parser.hibernate());
    ASSERT_TRUE(parser.feed(second));
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(r.stanzas.size(), second.ends_with("eam>") ? 1u : 2u);
  }
}

TEST(StreamParserHibernationTest, IsRefusedInsideACallback) {
  Recorder r;
  StreamParser* self = nullptr;
  std::vector<bool> refused;
  auto callbacks = r.callbacks();
  callbacks.on_stanza = [&](XmlElement&&) { refused.push_back(!self->hibernate()); };
  callbacks.on_stream_open = [&](const StreamHeader&) { refused.push_back(!self->hibernate()); };
  StreamParser parser({}, callbacks);
  self = &parser;
  ASSERT_TRUE(parser.feed(stream("<presence/>")));
  EXPECT_EQ(refused, (std::vector<bool>{true, true}));
  EXPECT_TRUE(parser.hibernate());
}

TEST(StreamParserHibernationTest, ALongStreamHeaderIsNotKeptSoNeverHibernates) {
  Recorder r;
  StreamParser parser({}, r.callbacks());
  ASSERT_TRUE(parser.feed(
      "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
      "id='" +
      std::string(3000, 'i') + "'><presence/>"));
  EXPECT_FALSE(parser.hibernate());
  ASSERT_TRUE(parser.feed("<presence/>"));
  EXPECT_EQ(r.stanzas.size(), 2u);
}

TEST(StreamParserHibernationTest, SizeCapCountsFromTheLastStanzaAfterWaking) {
  ParserLimits limits;
  limits.max_stanza_bytes = 300;
  Recorder r;
  StreamParser parser(limits, r.callbacks());
  ASSERT_TRUE(parser.feed(stream("<presence/>")));
  ASSERT_TRUE(parser.hibernate());
  EXPECT_EQ(parser.pending_stanza_bytes(), 0u);
  ASSERT_TRUE(parser.feed("<message><body>12345"));
  EXPECT_EQ(parser.pending_stanza_bytes(), std::string("<message><body>12345").size());
  ASSERT_TRUE(parser.feed("</body></message>"));
  ASSERT_TRUE(parser.hibernate());
  EXPECT_FALSE(parser.feed("<message><body>" + std::string(300, 'a')));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], ParseError::policy_violation);
  EXPECT_EQ(r.stanzas.size(), 2u);
}

TEST(StreamParserHibernationTest, ResetAfterHibernationStartsANewStream) {
  Recorder r;
  StreamParser parser({}, r.callbacks());
  ASSERT_TRUE(parser.feed(stream("<presence/>")));
  ASSERT_TRUE(parser.hibernate());
  parser.reset();
  EXPECT_FALSE(parser.hibernate());  // no stream header yet
  // The new stream may use another prefix and default namespace: nothing of the old survives.
  ASSERT_TRUE(
      parser.feed("<?xml version='1.0'?><x:stream xmlns:x='http://etherx.jabber.org/streams' "
                  "xmlns='jabber:server'>"));
  ASSERT_TRUE(parser.hibernate());
  ASSERT_TRUE(parser.feed("<iq/></x:stream>"));
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[1].content_ns, "jabber:server");
  ASSERT_EQ(r.stanzas.size(), 2u);
  EXPECT_EQ(r.stanzas[1].xmlns(), "jabber:server");
  EXPECT_EQ(r.events.back(), "close");
}

TEST(StreamParserHibernationTest, ResetInsideACallbackAfterWakingUp) {
  Recorder r;
  StreamParser* self = nullptr;
  auto callbacks = r.callbacks();
  auto record_stanza = callbacks.on_stanza;
  callbacks.on_stanza = [&](XmlElement&& e) {
    bool restart = e.name() == "auth";
    record_stanza(std::move(e));
    if (restart) self->reset();  // SASL success (RFC 6120 §6.4.6)
  };
  StreamParser parser({}, callbacks);
  self = &parser;
  ASSERT_TRUE(parser.feed(stream("")));
  ASSERT_TRUE(parser.hibernate());
  EXPECT_TRUE(parser.feed("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><junk/>"));
  EXPECT_FALSE(parser.hibernate());
  ASSERT_TRUE(parser.feed(stream("<iq id='bind'/>")));
  ASSERT_TRUE(parser.hibernate());
  ASSERT_TRUE(parser.feed("<presence/>"));
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.headers.size(), 2u);
  ASSERT_EQ(r.stanzas.size(), 3u);
  EXPECT_EQ(r.stanzas[1].name(), "iq");
  EXPECT_EQ(r.stanzas[2].name(), "presence");
}

}  // namespace
}  // namespace parley::xmpp::wire
