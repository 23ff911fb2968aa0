// Roster policy (XMPP's rule, RFC 6121 §3): a SIP user's SUBSCRIBE to an XMPP user is a
// subscription request; the subscription stays pending (RFC 6665 Subscription-State: pending,
// no presence) until the XMPP user approves, then NOTIFY carries the presence. And the other
// way: an XMPP request to a SIP user is approved by the SIP user subscribing back.
#include <gtest/gtest.h>

#include "tests/integration/sip/presence_support.hpp"
#include "tests/integration/support/daemon_suite.hpp"

namespace parley::it {
namespace {

class RosterPolicyTest : public DaemonSuite<RosterPolicyTest> {
 public:
  static nlohmann::json daemon_config() { return presence_daemon_config("roster"); }
};

TEST_F(RosterPolicyTest, SipWatcherPendingUntilXmppApproves) {
  const Account alice = daemon().new_account("alice");  // XMPP
  const Account bob = daemon().new_account("bob");      // SIP
  auto xmpp = online(daemon(), alice);
  auto sip = sip_registered(daemon(), bob);

  SipMsg ok = expect_response(*sip, subscribe_request(*sip, sip_aor(alice)), "SUBSCRIBE");
  ASSERT_TRUE(ok.status == 200 || ok.status == 202) << ok.summary();
  SipMsg pending = expect_request(*sip, sip_request("NOTIFY"), "the first NOTIFY");
  EXPECT_EQ(pending.header("Subscription-State").rfind("pending", 0), 0u) << pending.serialize();
  EXPECT_EQ(pending.body.find("<basic>open</basic>"), std::string::npos)
      << "presence leaked before approval: " << pending.body;

  // alice sees bob's request as an XMPP subscription request and approves it.
  expect(*xmpp, presence_from(bob.jid, "subscribe"), "bob's subscription request");
  xmpp->send(presence(bob.jid, "subscribed"));
  SipMsg active = expect_request(*sip, sip_notify_containing("<basic>open</basic>"),
                                 "alice's presence after approval");
  EXPECT_EQ(active.header("Subscription-State").rfind("active", 0), 0u) << active.serialize();
}

TEST_F(RosterPolicyTest, XmppRequestApprovedBySipSubscribingBack) {
  const Account alice = daemon().new_account("alice");  // XMPP
  const Account bob = daemon().new_account("bob");      // SIP
  auto xmpp = online(daemon(), alice);
  auto sip = sip_registered(daemon(), bob);

  xmpp->send(presence(bob.jid, "subscribe"));
  // Not approved yet: a PUBLISH of bob does not reach alice. A roster round trip as a barrier.
  SipMsg published = expect_response(*sip, publish_request(*sip, pidf(sip->aor(), true, "busy")),
                                     "PUBLISH before approval");
  ASSERT_EQ(published.status, 200) << published.summary();
  ASSERT_TRUE(xmpp->iq(roster_get()));
  EXPECT_FALSE(xmpp->wait_for(presence_from(bob.jid), std::chrono::milliseconds(0)))
      << "presence before approval";

  // bob subscribes back: that approves alice's pending request (either side approves).
  SipMsg ok = expect_response(*sip, subscribe_request(*sip, sip_aor(alice)), "SUBSCRIBE back");
  ASSERT_TRUE(ok.status == 200 || ok.status == 202) << ok.summary();
  expect(*xmpp, presence_from(bob.jid, "subscribed"), "approval of alice's request");
  XmlNode got = expect(*xmpp, presence_from(bob.jid), "bob's published presence");
  EXPECT_EQ(got.child_text("show"), "dnd") << got.to_string();
}

}  // namespace
}  // namespace parley::it
