// An XMPP user watches a SIP colleague (organisation policy): the SIP user's PUBLISH (RFC 3903)
// sets the presence the XMPP user sees within a second, RPID activities mapped to <show/>
// (busy -> dnd, away -> away); the entity tag refreshes and removes the publication; a stale
// entity tag is 412.
#include <gtest/gtest.h>

#include "tests/integration/sip/presence_support.hpp"
#include "tests/integration/support/daemon_suite.hpp"

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;

class XmppWatchesSipTest : public DaemonSuite<XmppWatchesSipTest> {
 public:
  static nlohmann::json daemon_config() { return presence_daemon_config("organisation"); }
};

// Available presence from `bare` with that show and status (the status tells this step's
// presence from earlier ones still queued).
Match presence_with(const std::string& bare, const std::string& show, const std::string& status) {
  return [bare, show, status](const XmlNode& stanza) {
    return stanza.name() == "presence" && bare_of(stanza.attr_or("from")) == bare &&
           stanza.attr_or("type").empty() && stanza.child_text("show") == show &&
           stanza.child_text("status") == status;
  };
}

TEST_F(XmppWatchesSipTest, PublishedStateReachesXmppWatcher) {
  const Account alice = daemon().new_account("alice");  // XMPP watcher
  const Account bob = daemon().new_account("bob");      // SIP presentity
  auto xmpp = online(daemon(), alice);
  auto sip = sip_registered(daemon(), bob);

  // alice asks for bob's presence; colleagues are approved at once.
  xmpp->send(presence(bob.jid, "subscribe"));
  expect(*xmpp, presence_from(bob.jid, "subscribed"), "the automatic approval");

  struct Step {
    std::string activity;
    std::string show;
  };
  const Step steps[] = {{"busy", "dnd"}, {"away", "away"}, {"", ""}};
  std::string etag;
  for (const auto& step : steps) {
    SCOPED_TRACE("activity " + step.activity);
    const auto sent = Clock::now();
    // PIDF notes are trimmed (XML whitespace around text is not content): no trailing space.
    const std::string note = step.activity.empty() ? "note" : "note " + step.activity;
    SipMsg answer = expect_response(
        *sip, publish_request(*sip, pidf(sip->aor(), true, step.activity, note)), "PUBLISH");
    ASSERT_EQ(answer.status, 200) << answer.summary();
    etag = answer.header("SIP-ETag");
    EXPECT_FALSE(etag.empty()) << answer.serialize();
    XmlNode got = expect(*xmpp, presence_with(bob.jid, step.show, note), "bob's new presence");
    const auto latency = Clock::now() - sent;
    EXPECT_LT(latency, kPresenceLatency)
        << std::chrono::duration_cast<std::chrono::milliseconds>(latency).count() << " ms";
    EXPECT_EQ(got.child_text("show"), step.show) << got.to_string();
  }

  // RFC 3903 §4.2: a refresh without body names the entity tag and gets a new one.
  SipMsg refresh = expect_response(*sip, publish_request(*sip, "", 600, etag), "PUBLISH refresh");
  ASSERT_EQ(refresh.status, 200) << refresh.summary();
  const std::string new_etag = refresh.header("SIP-ETag");
  EXPECT_FALSE(new_etag.empty());

  // §6: an unknown entity tag is 412 Conditional Request Failed.
  SipMsg stale =
      expect_response(*sip, publish_request(*sip, "", 600, "no-such-etag"), "stale PUBLISH");
  EXPECT_EQ(stale.status, 412) << stale.summary();

  // Closed: bob goes offline for alice.
  SipMsg closed = expect_response(
      *sip, publish_request(*sip, pidf(sip->aor(), false), 600, new_etag), "PUBLISH closed");
  ASSERT_EQ(closed.status, 200) << closed.summary();
  expect(*xmpp, presence_from(bob.jid, "unavailable"), "bob offline");
}

TEST_F(XmppWatchesSipTest, BadPidfIs400AndWrongTypeIs415) {
  const Account bob = daemon().new_account("bob");
  auto sip = sip_registered(daemon(), bob);
  SipMsg broken = publish_request(*sip, "<presence xmlns='urn:ietf:params:xml:ns:pidf'");
  SipMsg answer = expect_response(*sip, broken, "PUBLISH with broken XML");
  EXPECT_EQ(answer.status, 400) << answer.summary();

  SipMsg doctype =
      publish_request(*sip,
                      "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><presence "
                      "xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:x@y'>&a;</presence>");
  answer = expect_response(*sip, doctype, "PUBLISH with a DTD");
  EXPECT_EQ(answer.status, 400) << answer.summary();

  SipMsg wrong = publish_request(*sip, "hello");
  wrong.set("Content-Type", "text/plain");
  answer = expect_response(*sip, wrong, "PUBLISH text/plain");
  EXPECT_EQ(answer.status, 415) << answer.summary();
}

}  // namespace
}  // namespace parley::it
