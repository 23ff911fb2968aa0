// SIGTERM is a clean shutdown: parleyd ends every session with <system-shutdown/> (RFC 6120
// §4.9.3.19), flushes the store and exits 0 within shutdown_timeout_ms. Messages accepted for
// an offline user just before the signal are delivered after a restart on the same data.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "tests/integration/support/parleyd_process.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class ShutdownFlushTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure()) std::cerr << "--- parleyd log ---\n" << daemon_.log() << "--- end ---\n";
  }
  ParleydProcess daemon_;
};

TEST_F(ShutdownFlushTest, OfflineMessagesSurviveSigterm) {
  ASSERT_NO_THROW(daemon_.start());
  const Account alice = daemon_.new_account("alice");
  const Account bob = daemon_.new_account("bob");
  {
    auto a = online(daemon_, alice);
    constexpr int kCount = 20;
    for (int i = 0; i < kCount; ++i) a->send(chat(bob.jid, "queued " + std::to_string(i)));
    // The server has read and routed them all (one session reads in order) — whether they
    // reached the disk is the shutdown's job.
    ASSERT_TRUE(a->iq(roster_get()));

    const auto started = std::chrono::steady_clock::now();
    const int code = daemon_.stop();
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(code, 0);
    EXPECT_LT(took, std::chrono::milliseconds(5000 + 1000)) << "shutdown_timeout_ms is 5000";
    ASSERT_TRUE(a->wait_disconnected());
    EXPECT_EQ(a->stream_error(), "system-shutdown");
  }

  ASSERT_NO_THROW(daemon_.start());
  auto b = login(daemon_, bob);
  ASSERT_TRUE(b->iq(roster_get()));
  b->send(presence());
  for (int i = 0; i < 20; ++i) {
    const std::string body = "queued " + std::to_string(i);
    expect(*b, message_with_body(body), "'" + body + "' after the restart");
  }
  EXPECT_EQ(daemon_.stop(), 0);
}

TEST_F(ShutdownFlushTest, IdleDaemonExitsZeroAndStaysDown) {
  ASSERT_NO_THROW(daemon_.start());
  const std::uint16_t port = daemon_.c2s_port();
  EXPECT_EQ(daemon_.stop(), 0);
  // The listener is gone with the process.
  EXPECT_THROW(RawClient(port, Transport::plain), std::system_error);
}

}  // namespace
}  // namespace parley::it
