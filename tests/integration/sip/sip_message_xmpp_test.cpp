// MESSAGE (RFC 3428) between SIP and XMPP users of the same server, both ways: a SIP user's
// MESSAGE reaches the XMPP user's session as a chat message; an XMPP chat reaches every
// registered device of a SIP user; HTML from SIP is plain text for XMPP.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/sip_helpers.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class SipXmppMessageTest : public DaemonSuite<SipXmppMessageTest> {
 public:
  static nlohmann::json daemon_config() { return sip_daemon_config(); }
};

SipMsg message_to(SipClient& client, const Account& to, const std::string& content_type,
                  const std::string& body) {
  SipMsg m = client.request("MESSAGE", sip_aor(to), sip_aor(to));
  m.remove("Contact");  // RFC 3428 §4: MESSAGE carries no Contact
  m.set("Content-Type", content_type);
  m.body = body;
  return m;
}

TEST_F(SipXmppMessageTest, SipToXmpp) {
  const Account alice = daemon().new_account("alice");  // XMPP
  const Account bob = daemon().new_account("bob");      // SIP
  auto xmpp = online(daemon(), alice);
  auto sip = sip_registered(daemon(), bob);

  SipMsg answer = expect_response(
      *sip, message_to(*sip, alice, "text/plain;charset=UTF-8", "hello from SIP \xe2\x98\x8e"),
      "MESSAGE to an XMPP user");
  // RFC 3428 §7: 200 when delivered, 202 when accepted for later delivery.
  EXPECT_TRUE(answer.status == 200 || answer.status == 202) << answer.summary();

  const XmlNode got =
      expect(*xmpp, message_with_body("hello from SIP \xe2\x98\x8e"), "the SIP user's message");
  EXPECT_EQ(bare_of(got.attr_or("from")), bob.jid) << got.to_string();
  EXPECT_EQ(got.attr_or("type"), "chat") << got.to_string();
}

TEST_F(SipXmppMessageTest, XmppToEverySipDevice) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto xmpp = online(daemon(), alice);
  auto phone =
      sip_registered(daemon(), bob, SipTransport::udp, "aaaaaaaa-0000-0000-0000-000000000001");
  auto desk =
      sip_registered(daemon(), bob, SipTransport::tcp, "aaaaaaaa-0000-0000-0000-000000000002");

  xmpp->send(chat(bob.jid, "to all of bob's devices <&>"));
  for (SipClient* device : {phone.get(), desk.get()}) {
    SipMsg m = expect_request(*device, sip_message_with_body("to all of bob's devices <&>"),
                              "the XMPP message on each registered device");
    EXPECT_NE(m.header("Content-Type").find("text/plain"), std::string::npos) << m.serialize();
    EXPECT_NE(m.header("From").find(alice.local()), std::string::npos) << m.header("From");
    EXPECT_NE(m.header("To").find(bob.local()), std::string::npos) << m.header("To");
  }
}

TEST_F(SipXmppMessageTest, HtmlBecomesTextForXmpp) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto xmpp = online(daemon(), alice);
  auto sip = sip_registered(daemon(), bob);
  SipMsg answer = expect_response(
      *sip, message_to(*sip, alice, "text/html", "<p>Hello <b>Alice</b> &amp; all</p>"),
      "an HTML MESSAGE");
  EXPECT_TRUE(answer.status == 200 || answer.status == 202) << answer.summary();
  expect(*xmpp, message_with_body("Hello Alice & all"), "the text of the HTML message");
}

TEST_F(SipXmppMessageTest, ConversationBothWaysOverTcp) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto xmpp = online(daemon(), alice);
  auto sip = sip_registered(daemon(), bob, SipTransport::tcp);
  for (int i = 0; i < 5; ++i) {
    const std::string ping = "ping " + std::to_string(i);
    const std::string pong = "pong " + std::to_string(i);
    SipMsg answer =
        expect_response(*sip, message_to(*sip, alice, "text/plain", ping), "MESSAGE " + ping);
    EXPECT_LT(answer.status, 300) << answer.summary();
    expect(*xmpp, message_with_body(ping), ping);
    xmpp->send(chat(bob.jid, pong));
    expect_request(*sip, sip_message_with_body(pong), pong);
  }
}

}  // namespace
}  // namespace parley::it
