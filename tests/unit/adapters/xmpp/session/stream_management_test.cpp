#include "adapters/xmpp/stream_management.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace parley::xmpp {
namespace {

UnackedStanza stanza(int n) {
  return UnackedStanza{"<message id='" + std::to_string(n) + "'/>", {}};
}

TEST(StreamManagement, CountsInbound) {
  StreamManagement sm;
  EXPECT_EQ(sm.inbound(), 0u);
  sm.count_inbound();
  sm.count_inbound();
  EXPECT_EQ(sm.inbound(), 2u);
}

TEST(StreamManagement, AckDropsAcknowledgedStanzas) {
  StreamManagement sm(10);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(sm.push(stanza(i)));
  EXPECT_EQ(sm.outbound(), 4u);
  EXPECT_EQ(sm.ack(3), StreamManagement::AckResult::ok);
  ASSERT_EQ(sm.unacked().size(), 1u);
  EXPECT_EQ(sm.unacked().front().data, "<message id='3'/>");
  // Acking the same h again changes nothing.
  EXPECT_EQ(sm.ack(3), StreamManagement::AckResult::ok);
  EXPECT_EQ(sm.unacked().size(), 1u);
}

TEST(StreamManagement, AckBeyondWhatWasSentIsRefused) {
  StreamManagement sm(10);
  ASSERT_TRUE(sm.push(stanza(0)));
  EXPECT_EQ(sm.ack(2), StreamManagement::AckResult::too_high);
  EXPECT_EQ(sm.unacked().size(), 1u);
  EXPECT_EQ(sm.acked(), 0u);
}

TEST(StreamManagement, BoundedQueue) {
  StreamManagement sm(3);
  EXPECT_TRUE(sm.push(stanza(0)));
  EXPECT_TRUE(sm.push(stanza(1)));
  EXPECT_TRUE(sm.push(stanza(2)));
  EXPECT_FALSE(sm.push(stanza(3)));
  EXPECT_EQ(sm.outbound(), 3u);
  ASSERT_EQ(sm.ack(1), StreamManagement::AckResult::ok);
  EXPECT_TRUE(sm.push(stanza(3)));
}

TEST(StreamManagement, OutboundAndAcksWrapAt2To32) {
  const std::uint32_t start = std::numeric_limits<std::uint32_t>::max() - 2;  // 2^32 - 3
  StreamManagement sm(100, start);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(sm.push(stanza(i)));
  EXPECT_EQ(sm.outbound(), 3u);  // 2^32 - 3 + 6 wraps to 3
  // h = 1 (wrapped) acknowledges 4 stanzas: 2^32-2, 2^32-1, 0, 1.
  ASSERT_EQ(sm.ack(1), StreamManagement::AckResult::ok);
  ASSERT_EQ(sm.unacked().size(), 2u);
  EXPECT_EQ(sm.unacked().front().data, "<message id='4'/>");
  EXPECT_EQ(sm.ack(3), StreamManagement::AckResult::ok);
  EXPECT_FALSE(sm.has_unacked());
  EXPECT_EQ(sm.ack(4), StreamManagement::AckResult::too_high);
}

TEST(StreamManagement, InboundWrapsAt2To32) {
  StreamManagement sm(100, std::numeric_limits<std::uint32_t>::max());
  sm.count_inbound();
  EXPECT_EQ(sm.inbound(), 0u);
  sm.count_inbound();
  EXPECT_EQ(sm.inbound(), 1u);
}

TEST(StreamManagement, StaleAckBeforeTheWrapIsRefused) {
  const std::uint32_t start = std::numeric_limits<std::uint32_t>::max() - 1;
  StreamManagement sm(100, start);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(sm.push(stanza(i)));
  ASSERT_EQ(sm.ack(1), StreamManagement::AckResult::ok);  // all but one... (2^32-2 .. 0)
  EXPECT_EQ(sm.unacked().size(), 1u);
  // An h from before the last ack is "huge" in unsigned distance: a protocol error.
  EXPECT_EQ(sm.ack(start), StreamManagement::AckResult::too_high);
}

TEST(StreamManagement, RequestDueEveryFiveStanzas) {
  StreamManagement sm(100);
  for (std::uint32_t i = 1; i < StreamManagement::kRequestEvery; ++i) {
    ASSERT_TRUE(sm.push(stanza(0)));
    EXPECT_FALSE(sm.take_request_due());
  }
  ASSERT_TRUE(sm.push(stanza(0)));
  EXPECT_TRUE(sm.take_request_due());
  EXPECT_FALSE(sm.take_request_due());
}

TEST(StreamManagement, TakeUnackedEmptiesTheQueue) {
  StreamManagement sm(10);
  ASSERT_TRUE(sm.push(stanza(1)));
  ASSERT_TRUE(sm.push(stanza(2)));
  auto taken = sm.take_unacked();
  EXPECT_EQ(taken.size(), 2u);
  EXPECT_FALSE(sm.has_unacked());
  EXPECT_EQ(sm.ack(2), StreamManagement::AckResult::ok);
}

}  // namespace
}  // namespace parley::xmpp
