// RFC 6120 §11.1: XMPP is restricted XML — no DTD, entity declarations, processing
// instructions or comments. Receiving them ends the stream with <restricted-xml/>
// (§4.9.3.18); nothing is expanded (no entity bombs), and other sessions carry on.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class RestrictedXmlTest : public DaemonSuite<RestrictedXmlTest> {};

TEST_F(RestrictedXmlTest, DoctypeWithEntityBeforeTheStreamHeader) {
  Bystanders bystanders(daemon());
  RawClient raw(daemon().c2s_port(), Transport::plain);
  // The classic "billion laughs" opening, cut short: the DTD alone must be refused.
  raw.send_raw(
      "<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY lol 'lol'>"
      "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]>");
  raw.send_raw(stream_header({}));
  EXPECT_EQ(raw.wait_stream_error(), "restricted-xml");
  EXPECT_TRUE(raw.wait_connection_closed());
  bystanders.check_still_served("a DOCTYPE");
}

TEST_F(RestrictedXmlTest, ProcessingInstructionAfterLogin) {
  Bystanders bystanders(daemon());
  const Account mallory = daemon().new_account("mallory");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.login(mallory.jid, mallory.password, "evil");
  raw.send_raw("<?evil instruction?>");
  EXPECT_EQ(raw.wait_stream_error(), "restricted-xml");
  EXPECT_TRUE(raw.wait_connection_closed());
  bystanders.check_still_served("a processing instruction");
}

TEST_F(RestrictedXmlTest, CommentInsideAStanza) {
  Bystanders bystanders(daemon());
  const Account mallory = daemon().new_account("mallory");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.login(mallory.jid, mallory.password, "evil");
  raw.send_raw("<message to='" + bystanders.receiver().jid +
               "'><!-- hidden --><body>x</body></message>");
  EXPECT_EQ(raw.wait_stream_error(), "restricted-xml");
  bystanders.check_still_served("a comment");
  // The stanza carrying the comment was not delivered: the barrier message came alone.
  EXPECT_FALSE(
      bystanders.receiver_client().wait_for(message_with_body("x"), std::chrono::milliseconds(0)));
}

}  // namespace
}  // namespace parley::it
