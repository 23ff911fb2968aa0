// A SIP user watches an XMPP colleague (organisation policy: same domain, no request needed):
// SUBSCRIBE (RFC 3856) is accepted, the first NOTIFY carries the current PIDF state, every
// change of the XMPP user's <show/> arrives as a NOTIFY within a second, mapped through the
// availability table (dnd -> rpid busy, away -> rpid away), and un-SUBSCRIBE terminates.
#include <gtest/gtest.h>

#include "tests/integration/sip/presence_support.hpp"
#include "tests/integration/support/daemon_suite.hpp"

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;

class SipWatchesXmppTest : public DaemonSuite<SipWatchesXmppTest> {
 public:
  static nlohmann::json daemon_config() { return presence_daemon_config("organisation"); }
};

TEST_F(SipWatchesXmppTest, NotifiesCurrentStateAndChanges) {
  const Account alice = daemon().new_account("alice");  // XMPP
  const Account bob = daemon().new_account("bob");      // SIP watcher
  auto xmpp = online(daemon(), alice);
  auto sip = sip_registered(daemon(), bob);

  SipMsg ok = expect_response(*sip, subscribe_request(*sip, sip_aor(alice)), "SUBSCRIBE");
  // RFC 6665 §4.2.1.1: 200 (202 from RFC 3265 servers is still seen).
  ASSERT_TRUE(ok.status == 200 || ok.status == 202) << ok.summary();
  EXPECT_FALSE(header_param(ok.header("To"), "tag").empty()) << "no dialog: " << ok.serialize();
  EXPECT_FALSE(ok.header("Expires").empty()) << ok.serialize();

  SipMsg first = expect_request(*sip, sip_notify_containing("<basic>open</basic>"),
                                "the first NOTIFY with alice available");
  EXPECT_EQ(first.header("Event").substr(0, 8), "presence") << first.serialize();
  EXPECT_EQ(first.header("Subscription-State").substr(0, 6), "active") << first.serialize();
  EXPECT_NE(first.header("Content-Type").find("application/pidf+xml"), std::string::npos);
  EXPECT_NE(first.body.find("entity=\"sip:" + alice.jid + "\""), std::string::npos) << first.body;

  struct Change {
    std::string show;
    std::string fragment;  // in the PIDF
  };
  const Change changes[] = {{"dnd", "busy"}, {"away", "away"}, {"", "<basic>open</basic>"}};
  for (const auto& change : changes) {
    SCOPED_TRACE("show " + change.show);
    const auto sent = Clock::now();
    xmpp->send(presence_show(change.show, "now " + change.show));
    SipMsg notify = expect_request(*sip, sip_notify_containing("now " + change.show),
                                   "a NOTIFY for the new show");
    const auto latency = Clock::now() - sent;
    EXPECT_LT(latency, kPresenceLatency)
        << std::chrono::duration_cast<std::chrono::milliseconds>(latency).count() << " ms";
    EXPECT_NE(notify.body.find(change.fragment), std::string::npos) << notify.body;
  }

  // XMPP user goes offline: closed.
  xmpp->send(presence({}, "unavailable"));
  expect_request(*sip, sip_notify_containing("<basic>closed</basic>"), "alice offline");

  // Un-SUBSCRIBE (Expires: 0) in the dialog: a final NOTIFY with terminated (RFC 6665 §4.1.2.3).
  SipMsg unsubscribe = sip->request_in_dialog("SUBSCRIBE", ok);
  unsubscribe.set("Event", "presence");
  unsubscribe.set("Expires", "0");
  SipMsg done = expect_response(*sip, unsubscribe, "un-SUBSCRIBE");
  EXPECT_TRUE(done.status == 200 || done.status == 202) << done.summary();
  expect_request(
      *sip,
      [](const SipMsg& m) {
        return m.method == "NOTIFY" && m.header("Subscription-State").rfind("terminated", 0) == 0;
      },
      "the terminating NOTIFY");
}

TEST_F(SipWatchesXmppTest, SubscribeToUnknownUserIs404AndBadEventIs489) {
  const Account bob = daemon().new_account("bob");
  auto sip = sip_registered(daemon(), bob);
  SipMsg nobody = expect_response(
      *sip, subscribe_request(*sip, "sip:nobody-at-all@" + daemon().domain()), "SUBSCRIBE nobody");
  EXPECT_EQ(nobody.status, 404) << nobody.summary();

  SipMsg weird = subscribe_request(*sip, sip_aor(bob));
  weird.set("Event", "no-such-package");
  SipMsg bad = expect_response(*sip, weird, "SUBSCRIBE with an unknown event package");
  // RFC 6665 §7.2.2 489 Bad Event.
  EXPECT_EQ(bad.status, 489) << bad.summary();
}

}  // namespace
}  // namespace parley::it
