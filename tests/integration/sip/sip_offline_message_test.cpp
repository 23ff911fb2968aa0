// A MESSAGE to a SIP user with no registered device is stored by the core (offline storage)
// and delivered when the user next REGISTERs, from XMPP and from SIP senders (RFC 3428 §7:
// 202 Accepted for a request that will be delivered later).
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/sip_helpers.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class SipOfflineMessageTest : public DaemonSuite<SipOfflineMessageTest> {
 public:
  static nlohmann::json daemon_config() { return sip_daemon_config(); }
};

TEST_F(SipOfflineMessageTest, XmppMessageWaitsForRegistration) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto xmpp = online(daemon(), alice);
  xmpp->send(chat(bob.jid, "while your phone was off"));
  // An IQ round trip after the message: the server has read and routed it.
  ASSERT_TRUE(xmpp->iq(roster_get()));

  auto phone = sip_registered(daemon(), bob);
  SipMsg m = expect_request(*phone, sip_message_with_body("while your phone was off"),
                            "the stored message after REGISTER");
  EXPECT_NE(m.header("From").find(alice.local()), std::string::npos) << m.header("From");

  // Delivered once: a second device registering later does not get it again.
  auto tablet = sip_registered(daemon(), bob, SipTransport::tcp);
  xmpp->send(chat(bob.jid, "barrier"));
  expect_request(*tablet, sip_message_with_body("barrier"), "a live message");
  EXPECT_FALSE(tablet->wait_request(sip_message_with_body("while your phone was off"),
                                    std::chrono::milliseconds(0)))
      << "the stored message was delivered twice";
}

TEST_F(SipOfflineMessageTest, SipMessageToUnregisteredSipUser) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = sip_registered(daemon(), alice);
  SipMsg m = a->request("MESSAGE", sip_aor(bob), sip_aor(bob));
  m.remove("Contact");
  m.set("Content-Type", "text/plain");
  m.body = "stored for later";
  SipMsg answer = expect_response(*a, m, "MESSAGE to an unregistered user");
  EXPECT_EQ(answer.status, 202) << answer.summary();

  auto b = sip_registered(daemon(), bob);
  expect_request(*b, sip_message_with_body("stored for later"), "the stored SIP message");
}

}  // namespace
}  // namespace parley::it
