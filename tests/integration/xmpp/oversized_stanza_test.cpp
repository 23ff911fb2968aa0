// A stanza larger than xmpp.max_stanza_bytes ends the stream with <policy-violation/>
// (RFC 6120 §4.9.3.14, §13.12 resource exhaustion) without being routed; other sessions carry
// on, and a stanza just under the limit still passes.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

constexpr std::size_t kLimit = 16384;  // the config accepts 10000 and up

class OversizedStanzaTest : public DaemonSuite<OversizedStanzaTest> {
 public:
  static nlohmann::json daemon_config() { return {{"xmpp", {{"max_stanza_bytes", kLimit}}}}; }
};

TEST_F(OversizedStanzaTest, StanzaOverTheLimitIsAPolicyViolation) {
  Bystanders bystanders(daemon());
  const Account mallory = daemon().new_account("mallory");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.login(mallory.jid, mallory.password, "evil");

  // Under the limit: delivered.
  raw.send(chat(bystanders.receiver().jid, std::string(kLimit / 2, 's')));
  expect(bystanders.receiver_client(), message_with_body(std::string(kLimit / 2, 's')),
         "the message under the limit");

  raw.send(chat(bystanders.receiver().jid, std::string(kLimit * 4, 'x')));
  EXPECT_EQ(raw.wait_stream_error(), "policy-violation");
  EXPECT_TRUE(raw.wait_connection_closed());
  bystanders.check_still_served("an oversized stanza");
  EXPECT_FALSE(bystanders.receiver_client().wait_for(
      message_with_body(std::string(kLimit * 4, 'x')), std::chrono::milliseconds(0)));
}

TEST_F(OversizedStanzaTest, EndlessStanzaWithoutClosingTagIsCutOff) {
  Bystanders bystanders(daemon());
  const Account mallory = daemon().new_account("mallory");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.login(mallory.jid, mallory.password, "evil");
  // Never closes: the limit must apply to the bytes of an unfinished stanza too.
  raw.send_raw("<message><body>");
  raw.send_raw(std::string(kLimit * 4, 'y'));
  EXPECT_EQ(raw.wait_stream_error(), "policy-violation");
  bystanders.check_still_served("an unfinished oversized stanza");
}

}  // namespace
}  // namespace parley::it
