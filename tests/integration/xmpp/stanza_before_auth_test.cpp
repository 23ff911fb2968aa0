// A stanza before authentication ends the stream with <not-authorized/> (RFC 6120 §4.9.3.12,
// §6.4.1) and is never routed; other sessions carry on.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class StanzaBeforeAuthTest : public DaemonSuite<StanzaBeforeAuthTest> {};

TEST_F(StanzaBeforeAuthTest, MessageAfterTlsBeforeSasl) {
  Bystanders bystanders(daemon());
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.open_stream();
  raw.starttls();
  raw.send(chat(bystanders.receiver().jid, "spoofed"));
  EXPECT_EQ(raw.wait_stream_error(), "not-authorized");
  EXPECT_TRUE(raw.wait_connection_closed());
  bystanders.check_still_served("a stanza before auth");
  EXPECT_FALSE(bystanders.receiver_client().wait_for(message_with_body("spoofed"),
                                                     std::chrono::milliseconds(0)));
}

TEST_F(StanzaBeforeAuthTest, PresenceBeforeTlsOnDirectTls) {
  Bystanders bystanders(daemon());
  RawClient raw(daemon().direct_tls_port(), Transport::direct_tls);
  raw.open_stream();
  raw.send(presence(bystanders.receiver().jid, "subscribe"));
  EXPECT_EQ(raw.wait_stream_error(), "not-authorized");
  bystanders.check_still_served("a presence before auth");
  EXPECT_FALSE(bystanders.receiver_client().wait_for(
      [](const XmlNode& n) { return n.name() == "presence" && n.attr_or("type") == "subscribe"; },
      std::chrono::milliseconds(0)));
}

}  // namespace
}  // namespace parley::it
