// Feeds the hand-written client transcripts of tests/corpus/xmpp through the parser, whole and
// byte by byte, and checks that every stanza survives serialize -> parse unchanged.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "adapters/xmpp/wire/fragment_parser.hpp"
#include "adapters/xmpp/wire/stream_parser.hpp"
#include "tests/unit/adapters/xmpp/wire/parser_recorder.hpp"

namespace parley::xmpp::wire {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Expected number of top-level elements per good transcript.
const std::map<std::string, std::size_t> kExpectedStanzas = {
    {"gajim-preauth.xml", 2},
    {"gajim-session.xml", 10},
    {"conversations-session.xml", 15},
    {"libstrophe-session.xml", 9},
};

TEST(CorpusTest, EveryTranscriptParsesTheSameWholeAndByteByByte) {
  std::size_t good = 0, bad = 0;
  for (const auto& entry : fs::directory_iterator(PARLEY_XMPP_CORPUS_DIR)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".xml") continue;
    SCOPED_TRACE(name);
    const std::string input = read_file(entry.path());
    auto whole = testing::run(input, false);
    auto bytes = testing::run(input, true);
    EXPECT_EQ(whole.events, bytes.events);
    if (name.ends_with(".bad.xml")) {
      ++bad;
      EXPECT_EQ(whole.errors.size(), 1u);
      continue;
    }
    ++good;
    EXPECT_TRUE(whole.errors.empty()) << whole.events.back();
    ASSERT_EQ(whole.headers.size(), 1u);
    EXPECT_EQ(whole.headers[0].content_ns, "jabber:client");
    EXPECT_EQ(whole.headers[0].to, "example.org");
    auto expected = kExpectedStanzas.find(name);
    ASSERT_NE(expected, kExpectedStanzas.end()) << "add the new transcript to kExpectedStanzas";
    EXPECT_EQ(whole.stanzas.size(), expected->second);
    for (const auto& stanza : whole.stanzas) {
      // What we serialize parses back to the same tree (namespaces, attributes, text).
      std::string once = stanza.serialize(whole.headers[0].content_ns);
      auto again = parse_fragment(once, whole.headers[0].content_ns);
      ASSERT_TRUE(again.ok()) << once;
      EXPECT_EQ(again->serialize(whole.headers[0].content_ns), once);
      EXPECT_EQ(again->xmlns(), stanza.xmlns());
    }
  }
  EXPECT_EQ(good, kExpectedStanzas.size());
  EXPECT_GE(bad, 2u);
}

}  // namespace
}  // namespace parley::xmpp::wire
