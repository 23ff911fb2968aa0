// Bytes that are not well-formed XML end that stream with <not-well-formed/> (RFC 6120
// §4.9.3.13) — before and after authentication — while other sessions carry on.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class NotWellFormedTest : public DaemonSuite<NotWellFormedTest> {};

TEST_F(NotWellFormedTest, MismatchedTagsAfterLogin) {
  Bystanders bystanders(daemon());
  const Account mallory = daemon().new_account("mallory");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.login(mallory.jid, mallory.password, "evil");
  raw.send_raw("<message to='" + bystanders.receiver().jid + "'><body>oops</message>");
  EXPECT_EQ(raw.wait_stream_error(), "not-well-formed");
  EXPECT_TRUE(raw.wait_connection_closed());
  bystanders.check_still_served("mismatched tags");
}

TEST_F(NotWellFormedTest, GarbageBeforeTls) {
  Bystanders bystanders(daemon());
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.open_stream();
  raw.send_raw("<<<this is not xml>>>");
  EXPECT_EQ(raw.wait_stream_error(), "not-well-formed");
  EXPECT_TRUE(raw.wait_connection_closed());
  bystanders.check_still_served("garbage");
}

TEST_F(NotWellFormedTest, InvalidUtf8AfterLogin) {
  Bystanders bystanders(daemon());
  const Account mallory = daemon().new_account("mallory");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.login(mallory.jid, mallory.password, "evil");
  // RFC 6120 §11.6: UTF-8 only; 0xC3 0x28 is an invalid two-byte sequence.
  raw.send_raw(std::string("<message><body>\xC3\x28</body></message>"));
  const auto condition = raw.wait_stream_error();
  ASSERT_TRUE(condition);
  EXPECT_TRUE(*condition == "not-well-formed" || *condition == "unsupported-encoding")
      << *condition;
  bystanders.check_still_served("invalid UTF-8");
}

}  // namespace
}  // namespace parley::it
