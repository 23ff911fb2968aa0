// A real SIP tool: sipsak (Debian's sipsak 0.9.8) registers with digest authentication
// (usrloc mode, -U -C), a wrong password fails, OPTIONS gets an answer. Its message mode
// (-U -M) cannot run here: it sends the MESSAGE as "sipsak@<host>" without answering the
// challenge, and Parley authenticates every MESSAGE (docs/sip.md); SIP -> SIP messages are
// covered by sip_message_sip_sip_test.cpp.
// -u names the digest username: without it sipsak 0.9.8 sends the URI's user with a trailing
// "@" ("alice-1@"), which is nobody's account.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/sip_helpers.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class SipsakTest : public DaemonSuite<SipsakTest> {
 public:
  // MD5 only: this client's digest code (libre's sip/auth.c in baresip 1.0, sipsak 0.9.8)
  // gives up on the first challenge whose algorithm is not MD5, instead of skipping it as
  // RFC 8760 §2.4 asks; docs/sip.md#legacy-clients says the same to admins.
  static nlohmann::json daemon_config() {
    return sip_daemon_config({{"auth", {{"algorithms", {"MD5"}}}}});
  }
};

std::string explain(const CommandResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out +
         "\n--- stderr ---\n" + r.err;
}

TEST_F(SipsakTest, RegisterWithDigest) {
  const Account alice = daemon().new_account("alice");
  const std::string target = sip_uri_at_server(daemon(), alice);
  // -C: the Contact to bind (sipsak only registers), -x: Expires, -a: the digest password.
  CommandResult r = sipsak({"-U", "-C", "sip:" + alice.local() + "@127.0.0.1:9", "-x", "120", "-u",
                            alice.local(), "-a", alice.password, "-s", target});
  EXPECT_EQ(r.exit_code, 0) << explain(r);
  // sipsak prints "authorizing" when it answers a challenge: the first REGISTER was refused.
  EXPECT_NE(r.out.find("authorizing"), std::string::npos) << "expected a digest challenge first\n"
                                                          << explain(r);
}

TEST_F(SipsakTest, WrongPasswordFails) {
  const Account alice = daemon().new_account("alice");
  CommandResult r =
      sipsak({"-U", "-C", "sip:" + alice.local() + "@127.0.0.1:9", "-x", "120", "-u", alice.local(),
              "-a", "wrong-password", "-s", sip_uri_at_server(daemon(), alice)});
  // 1: a final answer other than 2xx.
  EXPECT_EQ(r.exit_code, 1) << explain(r);
}

TEST_F(SipsakTest, OptionsPing) {
  const Account carol = daemon().new_account("carol");
  // Shoot mode with the default OPTIONS request: any final answer is a live server.
  CommandResult r = sipsak({"-a", carol.password, "-s", sip_uri_at_server(daemon(), carol)});
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << explain(r);
  EXPECT_NE(r.out.find("SIP/2.0 "), std::string::npos) << explain(r);
}

}  // namespace
}  // namespace parley::it
