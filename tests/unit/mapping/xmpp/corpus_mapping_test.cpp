// Every <message/> and <presence/> of the client transcripts maps to the model and back to
// semantically equal XML (apart from what the model deliberately drops: a client's stanza-id),
// and the delivery paths' direct writers write the same bytes as the element tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "mapping/xmpp/message_codec.hpp"
#include "mapping/xmpp/presence_codec.hpp"
#include "tests/unit/mapping/xmpp/xml_test_util.hpp"

namespace parley::mapping::xmpp {
namespace {

namespace fs = std::filesystem;

TEST(CorpusMappingTest, MessagesAndPresencesRoundTrip) {
  std::size_t messages = 0, presences = 0;
  for (const auto& entry : fs::directory_iterator(PARLEY_XMPP_CORPUS_DIR)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".xml" || name.ends_with(".bad.xml")) continue;
    SCOPED_TRACE(name);
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::vector<wire::XmlElement> stanzas;
    wire::StreamParser parser(
        {}, {.on_stream_open = {},
             .on_stanza = [&](wire::XmlElement&& e) { stanzas.push_back(std::move(e)); },
             .on_stream_close = {},
             .on_error = {}});
    ASSERT_TRUE(parser.feed(bytes.str()));
    for (auto& stanza : stanzas) {
      SCOPED_TRACE(stanza.serialize());
      if (stanza.name() == "message") {
        ++messages;
        auto m = message_from_xml(stanza);
        ASSERT_TRUE(m.ok()) << m.error().text;
        stanza.remove_children("stanza-id", "urn:xmpp:sid:0");
        EXPECT_TRUE(testing::semantically_equal(message_to_xml(*m), stanza));
        EXPECT_EQ(message_to_wire(*m), message_to_xml(*m).serialize("jabber:client"));
      } else if (stanza.name() == "presence") {
        ++presences;
        auto p = presence_from_xml(stanza);
        ASSERT_TRUE(p.ok()) << p.error().text;
        EXPECT_TRUE(testing::semantically_equal(presence_to_xml(*p), stanza));
        EXPECT_EQ(presence_to_wire(*p), presence_to_xml(*p).serialize("jabber:client"));
      }
    }
  }
  EXPECT_EQ(messages, 9u);
  EXPECT_EQ(presences, 6u);
}

}  // namespace
}  // namespace parley::mapping::xmpp
