// Bad and unauthenticated requests get the right answers and never take the daemon down:
// malformed -> 400 with a reason (RFC 3261 §8.2.1 / §21.4.1), no credentials -> 401/407
// challenge (§22.2/§22.3), unknown user -> 404, unsupported body type -> 415 with Accept
// (§21.4.13), unknown method -> 501 (§8.2.1), too large -> 413/513.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/sip_helpers.hpp"

namespace parley::it {
namespace {

class SipErrorCodesTest : public DaemonSuite<SipErrorCodesTest> {
 public:
  static nlohmann::json daemon_config() { return sip_daemon_config(); }
};

SipMsg message_to(SipClient& client, const std::string& to_aor, const std::string& content_type,
                  const std::string& body) {
  SipMsg m = client.request("MESSAGE", to_aor, to_aor);
  m.remove("Contact");
  m.set("Content-Type", content_type);
  m.body = body;
  return m;
}

// A syntactically valid request broken by `edit`, sent raw; its answer (matched by Call-ID).
std::optional<SipMsg> send_broken(SipClient& client, const std::string& target,
                                  const std::function<void(SipMsg&)>& edit,
                                  const std::string& replace_from = {},
                                  const std::string& replace_to = {}) {
  SipMsg m = client.request("OPTIONS", target, target);
  edit(m);
  std::string bytes = m.serialize();
  if (!replace_from.empty()) {
    auto pos = bytes.find(replace_from);
    if (pos != std::string::npos) bytes.replace(pos, replace_from.size(), replace_to);
  }
  const std::string call_id = m.header("Call-ID");
  client.send_raw(bytes);
  return client.wait_response(
      [&](const SipMsg& r) { return r.header("Call-ID") == call_id && r.status >= 200; });
}

struct MalformedCase {
  std::string name;
  std::function<void(SipMsg&)> edit;
  std::string replace_from;
  std::string replace_to;
};

TEST_F(SipErrorCodesTest, MalformedRequestsGet400WithReason) {
  const Account alice = daemon().new_account("alice");
  for (SipTransport transport : {SipTransport::udp, SipTransport::tcp}) {
    const MalformedCase cases[] = {
        {"no CSeq", [](SipMsg& m) { m.remove("CSeq"); }, "", ""},
        {"CSeq method differs", [](SipMsg& m) { m.set("CSeq", "1 INVITE"); }, "", ""},
        {"CSeq not a number", [](SipMsg& m) { m.set("CSeq", "abc OPTIONS"); }, "", ""},
        {"no From", [](SipMsg& m) { m.remove("From"); }, "", ""},
        {"no To", [](SipMsg& m) { m.remove("To"); }, "", ""},
        {"broken From", [](SipMsg& m) { m.set("From", "<<<sip:@@>;tag=1"); }, "", ""},
        {"Max-Forwards not a number", [](SipMsg& m) { m.set("Max-Forwards", "many"); }, "", ""},
        {"bad request URI", [](SipMsg&) {}, "OPTIONS sip:", "OPTIONS ::not a uri:: sip:"},
        {"bad version", [](SipMsg&) {}, "SIP/2.0\r\nVia", "SIP/7.0\r\nVia"},
    };
    SipClient client(sip_options(daemon(), alice, transport));
    for (const auto& c : cases) {
      SCOPED_TRACE(c.name + (transport == SipTransport::tcp ? " over TCP" : " over UDP"));
      auto answer = send_broken(client, sip_aor(alice), c.edit, c.replace_from, c.replace_to);
      ASSERT_TRUE(answer) << "no answer\n" << client.dump_queues();
      // "bad version" may get 505 Version Not Supported (RFC 3261 §21.5.6).
      if (c.name == "bad version") {
        EXPECT_TRUE(answer->status == 400 || answer->status == 505) << answer->summary();
      } else {
        EXPECT_EQ(answer->status, 400) << answer->summary();
      }
      const bool explained = answer->reason != "Bad Request" || answer->has_header("Warning");
      EXPECT_TRUE(!answer->reason.empty() && explained)
          << "400 without a reason or Warning: " << answer->serialize();
    }
  }
  // Still serving: a valid REGISTER works afterwards.
  auto again = sip_registered(daemon(), alice);
  EXPECT_GT(again->local_port(), 0);
}

TEST_F(SipErrorCodesTest, GarbageNeverCrashes) {
  // NUL bytes inside a header: the literal's exact length, without its terminator.
  static constexpr char kNulLiteral[] = "MESSAGE sip:a@b SIP/2.0\r\nVia: \0\0\0\r\n\r\n";
  const std::string kNulBytes(kNulLiteral, sizeof kNulLiteral - 1);
  const Account alice = daemon().new_account("alice");
  SipClient udp(sip_options(daemon(), alice, SipTransport::udp));
  const std::string junk[] = {
      "",
      "\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
      std::string(3000, 'A'),
      "INVITE\r\n\r\n",
      "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 99999\r\n\r\nshort",
      kNulBytes,
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKnothing\r\n\r\n",
  };
  for (const auto& j : junk) udp.send_raw(j);
  {
    SipClient tcp(sip_options(daemon(), alice, SipTransport::tcp));
    for (const auto& j : junk) tcp.send_raw(j);
  }
  // The daemon is alive and answers a normal registration.
  auto ok = sip_registered(daemon(), alice);
  EXPECT_GT(ok->local_port(), 0);
}

TEST_F(SipErrorCodesTest, UnauthenticatedMessageIsChallenged) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  SipClientOptions options = sip_options(daemon(), alice);
  options.password.clear();
  SipClient client(options);
  SipMsg answer = expect_response(client, message_to(client, sip_aor(bob), "text/plain", "spoofed"),
                                  "MESSAGE without auth");
  ASSERT_TRUE(answer.status == 401 || answer.status == 407) << answer.summary();
  const char* header = answer.status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
  EXPECT_FALSE(answer.header(header).empty()) << answer.serialize();

  // Credentials of another account do not let alice speak as bob... nor as herself.
  SipClientOptions wrong = sip_options(daemon(), alice);
  wrong.password = bob.password;
  SipClient liar(wrong);
  SipMsg refused = expect_response(
      liar, message_to(liar, sip_aor(bob), "text/plain", "still spoofed"), "wrong credentials");
  EXPECT_TRUE(refused.status == 401 || refused.status == 407 || refused.status == 403)
      << refused.summary();
}

TEST_F(SipErrorCodesTest, UnknownUserIs404) {
  const Account alice = daemon().new_account("alice");
  auto client = sip_registered(daemon(), alice);
  SipMsg answer = expect_response(
      *client, message_to(*client, "sip:nobody-here@" + daemon().domain(), "text/plain", "anyone?"),
      "MESSAGE to an unknown user");
  EXPECT_EQ(answer.status, 404) << answer.summary();
}

TEST_F(SipErrorCodesTest, UnsupportedContentTypeIs415WithAccept) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto client = sip_registered(daemon(), alice);
  SipMsg answer = expect_response(
      *client, message_to(*client, sip_aor(bob), "application/x-unknown", "\x01\x02"),
      "MESSAGE with an unsupported type");
  EXPECT_EQ(answer.status, 415) << answer.summary();
  EXPECT_NE(answer.header("Accept").find("text/plain"), std::string::npos) << answer.serialize();
}

TEST_F(SipErrorCodesTest, UnknownMethodIs501) {
  const Account alice = daemon().new_account("alice");
  auto client = sip_registered(daemon(), alice);
  SipMsg foo = client->request("FOO", sip_aor(alice), sip_aor(alice));
  SipMsg answer = expect_response(*client, foo, "an unknown method");
  EXPECT_EQ(answer.status, 501) << answer.summary();
}

TEST_F(SipErrorCodesTest, TooLargeIsRefused) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto client = sip_registered(daemon(), alice, SipTransport::tcp);
  SipMsg answer = expect_response(
      *client, message_to(*client, sip_aor(bob), "text/plain", std::string(200 * 1024, 'x')),
      "a 200 KiB MESSAGE");
  // RFC 3261 §21.4.11 413 Request Entity Too Large (or 513 Message Too Large, §21.5.7).
  EXPECT_TRUE(answer.status == 413 || answer.status == 513) << answer.summary();
  // The daemon keeps serving others.
  auto fresh = sip_registered(daemon(), bob);
  EXPECT_GT(fresh->local_port(), 0);
}

}  // namespace
}  // namespace parley::it
