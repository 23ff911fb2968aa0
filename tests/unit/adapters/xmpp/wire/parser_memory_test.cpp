// set_stream_parser_memory(): every byte a StreamParser's expat parser takes comes from the
// installed functions and goes back to them (at hibernation, restart and destruction), and a
// parser made before a change keeps freeing with the functions it was made with.
#include "adapters/xmpp/wire/parser_memory.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "tests/unit/adapters/xmpp/wire/parser_recorder.hpp"

namespace parley::xmpp::wire {
namespace {

// Live blocks of the counting functions (tests run on one thread).
std::map<void*, std::size_t>& live() {
  static std::map<void*, std::size_t> blocks;
  return blocks;
}
std::size_t g_calls = 0;

void* counting_allocate(std::size_t size) {
  ++g_calls;
  void* pointer = std::malloc(size);
  if (pointer) live()[pointer] = size;
  return pointer;
}
void* counting_reallocate(void* pointer, std::size_t size) {
  ++g_calls;
  if (pointer) live().erase(pointer);
  void* moved = std::realloc(pointer, size);
  if (moved) live()[moved] = size;
  return moved;
}
void counting_release(void* pointer) {
  if (pointer) live().erase(pointer);
  std::free(pointer);
}
const ParserMemory kCounting{counting_allocate, counting_reallocate, counting_release};

constexpr std::string_view kHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
    "xmlns:stream='http://etherx.jabber.org/streams' to='example.org' version='1.0'>";
constexpr std::string_view kMessage =
    "<message to='juliet@example.org' type='chat' id='m1'><body>hi</body></message>";

class ParserMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    live().clear();
    g_calls = 0;
    set_stream_parser_memory(&kCounting);
  }
  void TearDown() override { set_stream_parser_memory(nullptr); }
};

TEST_F(ParserMemoryTest, ParserMemoryComesFromTheInstalledFunctionsAndGoesBack) {
  testing::Recorder recorder;
  {
    StreamParser parser({}, recorder.callbacks());
    EXPECT_TRUE(live().empty());  // the expat parser is made by the first feed()
    ASSERT_TRUE(parser.feed(kHeader));
    ASSERT_TRUE(parser.feed(kMessage));
    EXPECT_FALSE(live().empty());
    EXPECT_GT(g_calls, 0u);
  }
  EXPECT_TRUE(live().empty()) << live().size() << " blocks not returned";
  ASSERT_EQ(recorder.stanzas.size(), 1u);
  EXPECT_EQ(recorder.stanzas[0].attr_or("id"), "m1");
}

TEST_F(ParserMemoryTest, HibernationReturnsEveryBlockAndTheWokenParserUsesThemAgain) {
  testing::Recorder recorder;
  StreamParser parser({}, recorder.callbacks());
  ASSERT_TRUE(parser.feed(std::string(kHeader) + std::string(kMessage)));
  ASSERT_TRUE(parser.hibernate());
  EXPECT_TRUE(live().empty()) << live().size() << " blocks kept by a resting parser";
  const std::size_t calls = g_calls;
  ASSERT_TRUE(parser.feed(kMessage));  // wakes: a new expat parser replays the header
  EXPECT_GT(g_calls, calls);
  EXPECT_FALSE(live().empty());
  EXPECT_EQ(recorder.stanzas.size(), 2u);
  EXPECT_TRUE(recorder.errors.empty());
}

TEST_F(ParserMemoryTest, AParserFreesWithTheFunctionsItWasMadeWith) {
  testing::Recorder recorder;
  auto parser = std::make_unique<StreamParser>(ParserLimits{}, recorder.callbacks());
  ASSERT_TRUE(parser->feed(kHeader));
  const std::size_t blocks = live().size();
  ASSERT_GT(blocks, 0u);
  set_stream_parser_memory(nullptr);  // later parsers use malloc
  parser->reset();                    // frees the counted parser
  EXPECT_TRUE(live().empty());
  ASSERT_TRUE(parser->feed(kHeader));  // the new stream's parser comes from malloc
  EXPECT_TRUE(live().empty());
  parser.reset();
  EXPECT_EQ(recorder.headers.size(), 2u);
}

TEST_F(ParserMemoryTest, OutOfMemoryIsAnErrorNotACrash) {
  // Every allocation fails: the parser cannot even be made.
  static const ParserMemory kFailing{[](std::size_t) -> void* { return nullptr; },
                                     [](void*, std::size_t) -> void* { return nullptr; },
                                     [](void* pointer) { std::free(pointer); }};
  set_stream_parser_memory(&kFailing);
  testing::Recorder recorder;
  StreamParser parser({}, recorder.callbacks());
  EXPECT_THROW(parser.feed(kHeader), std::bad_alloc);
}

}  // namespace
}  // namespace parley::xmpp::wire
