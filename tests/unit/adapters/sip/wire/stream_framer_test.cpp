// TCP framing (RFC 3261 §18.3) fed in one piece and byte by byte; keepalives (RFC 5626 §4.4.1);
// size limits.
#include <gtest/gtest.h>

#include "adapters/sip/wire/stream_framer.hpp"

namespace parley::sip {
namespace {

const std::string kMessage =
    "MESSAGE sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"
    "From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: c\r\n"
    "CSeq: 1 MESSAGE\r\nl: 5\r\n\r\nhello";
const std::string kNoBody =
    "OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK2\r\n"
    "From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: c\r\n"
    "CSeq: 2 OPTIONS\r\nContent-Length: 0\r\n\r\n";

std::vector<std::string> messages(const std::vector<FrameEvent>& events, int* pings = nullptr,
                                  const FramingError** error = nullptr) {
  std::vector<std::string> out;
  for (const auto& event : events) {
    if (auto* m = std::get_if<FramedMessage>(&event)) out.push_back(m->data);
    if (pings && std::holds_alternative<KeepalivePing>(event)) ++*pings;
    if (error) {
      if (auto* e = std::get_if<FramingError>(&event)) *error = e;
    }
  }
  return out;
}

TEST(StreamFramer, SplitsBackToBackMessagesAndPings) {
  StreamFramer framer(4096);
  int pings = 0;
  auto events = framer.feed("\r\n\r\n" + kMessage + kNoBody + "\r\n\r\n" + "\r\n" + kMessage);
  auto out = messages(events, &pings);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], kMessage);
  EXPECT_EQ(out[1], kNoBody);
  EXPECT_EQ(out[2], kMessage);
  EXPECT_EQ(pings, 2);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(StreamFramer, ByteByByteGivesTheSameResult) {
  StreamFramer framer(4096);
  std::string stream = kMessage + "\r\n\r\n" + kNoBody;
  std::vector<FrameEvent> all;
  for (char c : stream) {
    for (auto& e : framer.feed(std::string_view(&c, 1))) all.push_back(std::move(e));
  }
  int pings = 0;
  auto out = messages(all, &pings);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], kMessage);
  EXPECT_EQ(out[1], kNoBody);
  EXPECT_EQ(pings, 1);
}

TEST(StreamFramer, WaitsForTheWholeBody) {
  StreamFramer framer(4096);
  EXPECT_TRUE(framer.feed(kMessage.substr(0, kMessage.size() - 2)).empty());
  auto out = messages(framer.feed(kMessage.substr(kMessage.size() - 2)));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], kMessage);
}

TEST(StreamFramer, BodyTooLargeIs413AndStops) {
  StreamFramer framer(200);
  const FramingError* error = nullptr;
  auto events = framer.feed(
      "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\nContent-Length: 100000\r\n\r\n");
  messages(events, nullptr, &error);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->status, 413);
  EXPECT_TRUE(framer.feed(kNoBody).empty());  // no resynchronisation after an error
}

TEST(StreamFramer, EndlessHeadersAre513) {
  StreamFramer framer(100);
  std::vector<FrameEvent> events;
  for (int i = 0; i < 20 && events.empty(); ++i) events = framer.feed("X-Filler: aaaaaaaaaa\r\n");
  const FramingError* error = nullptr;
  messages(events, nullptr, &error);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->status, 513);
  EXPECT_LE(framer.buffered(), 200u);
}

TEST(StreamFramer, BadOrConflictingContentLengthIs400) {
  for (std::string header : {"Content-Length: abc\r\n", "Content-Length: 1\r\nl: 2\r\n"}) {
    StreamFramer framer(4096);
    const FramingError* error = nullptr;
    auto events = framer.feed("OPTIONS sip:a@b SIP/2.0\r\n" + header + "\r\n");
    messages(events, nullptr, &error);
    ASSERT_NE(error, nullptr) << header;
    EXPECT_EQ(error->status, 400);
  }
}

TEST(StreamFramer, LoneCrlfIsIgnoredAndPartialPingWaits) {
  StreamFramer framer(4096);
  EXPECT_TRUE(framer.feed("\r\n").empty());
  int pings = 0;
  messages(framer.feed("\r\n"), &pings);
  EXPECT_EQ(pings, 1);
  auto out = messages(framer.feed("\r\n" + kNoBody));
  EXPECT_EQ(out.size(), 1u);
}

}  // namespace
}  // namespace parley::sip
