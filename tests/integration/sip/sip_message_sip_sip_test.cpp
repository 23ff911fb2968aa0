// MESSAGE between two SIP users (RFC 3428): delivered to every registered device of the
// recipient, HTML kept as HTML (the ForeignPayload of SIP origin), the sender answered 200.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/sip_helpers.hpp"

namespace parley::it {
namespace {

class SipSipMessageTest : public DaemonSuite<SipSipMessageTest> {
 public:
  static nlohmann::json daemon_config() { return sip_daemon_config(); }
};

SipMsg message_to(SipClient& client, const Account& to, const std::string& content_type,
                  const std::string& body) {
  SipMsg m = client.request("MESSAGE", sip_aor(to), sip_aor(to));
  m.remove("Contact");
  m.set("Content-Type", content_type);
  m.body = body;
  return m;
}

TEST_F(SipSipMessageTest, PlainTextToTwoDevices) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = sip_registered(daemon(), alice);
  auto b1 =
      sip_registered(daemon(), bob, SipTransport::udp, "bbbbbbbb-0000-0000-0000-000000000001");
  auto b2 =
      sip_registered(daemon(), bob, SipTransport::tcp, "bbbbbbbb-0000-0000-0000-000000000002");

  SipMsg answer =
      expect_response(*a, message_to(*a, bob, "text/plain", "hi bob, twice"), "MESSAGE to bob");
  EXPECT_TRUE(answer.status == 200 || answer.status == 202) << answer.summary();
  for (SipClient* device : {b1.get(), b2.get()}) {
    SipMsg m = expect_request(*device, sip_message_with_body("hi bob, twice"), "bob's copy");
    EXPECT_NE(m.header("From").find(alice.local()), std::string::npos) << m.header("From");
  }
}

TEST_F(SipSipMessageTest, HtmlStaysHtmlBetweenSipUsers) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = sip_registered(daemon(), alice);
  auto b = sip_registered(daemon(), bob);
  const std::string html = "<p>Hi <i>Bob</i></p>";
  SipMsg answer = expect_response(*a, message_to(*a, bob, "text/html", html), "an HTML MESSAGE");
  EXPECT_LT(answer.status, 300) << answer.summary();
  SipMsg m = expect_request(*b, sip_message_with_body(html), "the HTML message, unchanged");
  EXPECT_NE(m.header("Content-Type").find("text/html"), std::string::npos) << m.serialize();
}

TEST_F(SipSipMessageTest, ReplyInTheOtherDirection) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = sip_registered(daemon(), alice, SipTransport::tcp);
  auto b = sip_registered(daemon(), bob);
  expect_response(*a, message_to(*a, bob, "text/plain", "question?"), "the question");
  expect_request(*b, sip_message_with_body("question?"), "the question at bob");
  SipMsg answer = expect_response(*b, message_to(*b, alice, "text/plain", "answer!"), "the answer");
  EXPECT_LT(answer.status, 300) << answer.summary();
  expect_request(*a, sip_message_with_body("answer!"), "the answer at alice");
}

}  // namespace
}  // namespace parley::it
