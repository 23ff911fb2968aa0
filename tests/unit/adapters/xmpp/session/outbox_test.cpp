// Outbox: what a session's writer sends, in order, with shared bytes written in place.
#include "adapters/xmpp/outbox.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace parley::xmpp {
namespace {

std::string concatenate(const std::vector<boost::asio::const_buffer>& buffers) {
  std::string out;
  for (const auto& b : buffers) out.append(static_cast<const char*>(b.data()), b.size());
  return out;
}

Outbox::Shared shared(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(OutboxTest, GatherWriteKeepsOrderAndPointsIntoTheSharedBytes) {
  Outbox outbox;
  auto head = shared("<message to='");
  auto to = shared("a@b/c");
  auto tail = shared("'/>");
  outbox.push("<presence/>");
  outbox.push_shared(head, to, tail);
  outbox.push("<iq/>");
  EXPECT_EQ(outbox.size(), 3u);
  const auto& buffers = outbox.begin_gather_write();
  EXPECT_TRUE(outbox.empty());  // everything moved into the batch in flight
  EXPECT_EQ(concatenate(buffers), "<presence/><message to='a@b/c'/><iq/>");
  ASSERT_EQ(buffers.size(), 5u);
  EXPECT_EQ(buffers[1].data(), head->data());  // not copied
  EXPECT_EQ(buffers[3].data(), tail->data());
  outbox.end_write();
}

TEST(OutboxTest, JoinedWriteIsTheSameBytesInOneBuffer) {
  Outbox outbox;
  outbox.push("<a/>");
  outbox.push_shared(shared("<m to='"), shared("x@y"), shared("'/>"));
  EXPECT_EQ(outbox.begin_joined_write(), "<a/><m to='x@y'/>");
  outbox.end_write();
}

TEST(OutboxTest, WhatIsQueuedDuringAWriteGoesInTheNextBatch) {
  Outbox outbox;
  outbox.push("first");
  const auto& first = outbox.begin_gather_write();
  EXPECT_EQ(concatenate(first), "first");
  outbox.push("second");
  outbox.push("third");
  EXPECT_EQ(outbox.size(), 2u);
  outbox.end_write();
  EXPECT_EQ(concatenate(outbox.begin_gather_write()), "secondthird");
  outbox.end_write();
  EXPECT_TRUE(outbox.empty());
}

TEST(OutboxTest, EmptyPiecesAreNotWrittenAndClearDropsTheQueue) {
  Outbox outbox;
  outbox.push("");
  outbox.push_shared(shared("<m to='"), shared(""), shared("'/>"));
  const auto& buffers = outbox.begin_gather_write();
  EXPECT_EQ(buffers.size(), 2u);
  EXPECT_EQ(concatenate(buffers), "<m to=''/>");
  outbox.end_write();
  outbox.push("dropped");
  outbox.clear();
  EXPECT_TRUE(outbox.empty());
}

TEST(OutboxTest, ALargeBurstDoesNotStayResidentAfterItIsWritten) {
  Outbox outbox;
  for (int i = 0; i < 1000; ++i) outbox.push(std::string(100, 'x'));
  EXPECT_EQ(outbox.begin_joined_write().size(), 100000u);
  EXPECT_GT(outbox.retained_bytes(), 100000u);
  outbox.end_write();
  EXPECT_LT(outbox.retained_bytes(), 1024u);  // an idle session keeps (almost) nothing
  outbox.push("after");
  EXPECT_EQ(outbox.begin_joined_write(), "after");
  outbox.end_write();
}

}  // namespace
}  // namespace parley::xmpp
