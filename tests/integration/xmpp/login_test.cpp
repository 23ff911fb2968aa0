// Login over the c2s port: STARTTLS (RFC 6120 §5), then SASL (RFC 6120 §6) with each offered
// mechanism — SCRAM-SHA-256 (RFC 7677), SCRAM-SHA-1 (RFC 5802), PLAIN over TLS (RFC 4616) —
// and resource binding (RFC 6120 §7). A wrong password is rejected with <not-authorized/>.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

std::vector<std::string> mechanisms_of(const XmlNode& features) {
  std::vector<std::string> out;
  if (const XmlNode* mechanisms = features.child("mechanisms", kNsSasl)) {
    for (const auto& m : mechanisms->children()) out.push_back(m.text());
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class LoginTest : public DaemonSuite<LoginTest> {
 public:
  // Several wrong passwords from 127.0.0.1 are the point of this file: keep the per-IP
  // throttle out of the way.
  static nlohmann::json daemon_config() {
    return {{"xmpp", {{"auth_throttle", {{"failures_per_ip", 1000}}}}}};
  }
};

TEST_F(LoginTest, StarttlsIsRequiredAndPlainOnlyOfferedOverTls) {
  RawClient raw(daemon().c2s_port(), Transport::plain);
  const XmlNode before_tls = raw.open_stream();
  // RFC 6120 §5.3.1: mandatory-to-negotiate STARTTLS is flagged <required/>.
  const XmlNode* starttls = before_tls.child("starttls", kNsTls);
  ASSERT_NE(starttls, nullptr) << before_tls.to_string();
  EXPECT_NE(starttls->child("required", kNsTls), nullptr) << before_tls.to_string();
  // RFC 6120 §13.9.4: no PLAIN over an unencrypted stream.
  EXPECT_FALSE(has(mechanisms_of(before_tls), "PLAIN")) << before_tls.to_string();

  const XmlNode after_tls = raw.starttls();
  EXPECT_EQ(after_tls.child("starttls", kNsTls), nullptr) << after_tls.to_string();
  const auto mechanisms = mechanisms_of(after_tls);
  EXPECT_TRUE(has(mechanisms, "SCRAM-SHA-256")) << after_tls.to_string();
  EXPECT_TRUE(has(mechanisms, "SCRAM-SHA-1")) << after_tls.to_string();
  EXPECT_TRUE(has(mechanisms, "PLAIN")) << after_tls.to_string();
}

TEST_F(LoginTest, LibstropheLogsInOverStarttls) {
  const Account alice = daemon().new_account("alice");
  auto client = login(daemon(), alice, {.resource = "desk"});
  EXPECT_EQ(client->bound_jid(), alice.jid + "/desk");
  // The session works: the server answers a roster request.
  auto roster = client->iq(roster_get());
  ASSERT_TRUE(roster);
  EXPECT_EQ(roster->attr_or("type"), "result") << roster->to_string();
}

class MechanismTest : public LoginTest, public ::testing::WithParamInterface<SaslMechanism> {};

TEST_P(MechanismTest, RightPasswordBindsTheResource) {
  const Account bob = daemon().new_account("bob");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.open_stream();
  raw.starttls();
  const SaslOutcome outcome = raw.authenticate(GetParam(), bob.local(), bob.password);
  ASSERT_TRUE(outcome.success) << outcome.failure_condition;
  // RFC 5802 §3: the server proved it knows the password, too.
  EXPECT_TRUE(outcome.server_verified);
  const XmlNode features = raw.restart_stream();
  ASSERT_NE(features.child("bind", kNsBind), nullptr) << features.to_string();
  EXPECT_EQ(raw.bind("phone"), bob.jid + "/phone");
}

TEST_P(MechanismTest, WrongPasswordIsNotAuthorized) {
  const Account carol = daemon().new_account("carol");
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.open_stream();
  raw.starttls();
  const SaslOutcome outcome = raw.authenticate(GetParam(), carol.local(), "not-the-password");
  EXPECT_FALSE(outcome.success);
  // RFC 6120 §6.5.10
  EXPECT_EQ(outcome.failure_condition, "not-authorized");
}

INSTANTIATE_TEST_SUITE_P(Sasl, MechanismTest,
                         ::testing::Values(SaslMechanism::scram_sha256, SaslMechanism::scram_sha1,
                                           SaslMechanism::plain),
                         [](const auto& param_info) {
                           switch (param_info.param) {
                             case SaslMechanism::scram_sha256:
                               return std::string("ScramSha256");
                             case SaslMechanism::scram_sha1:
                               return std::string("ScramSha1");
                             case SaslMechanism::plain:
                               return std::string("Plain");
                           }
                           return std::string("Unknown");
                         });

TEST_F(LoginTest, ConcurrentPlainLoginsEachGetTheirOwnAnswer) {
  // PLAIN's key stretching runs off the io threads and its answer is posted back to the
  // session: with many checks in flight at once, each stream must get the verdict for its
  // own password, right ones succeeding and wrong ones failing.
  constexpr int kClients = 16;
  std::vector<Account> accounts;
  for (int i = 0; i < kClients; ++i) {
    accounts.push_back(daemon().new_account("plain" + std::to_string(i)));
  }
  std::vector<std::optional<SaslOutcome>> outcomes(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      RawClient raw(daemon().c2s_port(), Transport::plain);
      raw.open_stream();
      raw.starttls();
      const bool right = i % 2 == 0;
      outcomes[i] = raw.authenticate(SaslMechanism::plain, accounts[i].local(),
                                     right ? accounts[i].password : "not-" + accounts[i].password);
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < kClients; ++i) {
    ASSERT_TRUE(outcomes[i]) << i;
    if (i % 2 == 0) {
      EXPECT_TRUE(outcomes[i]->success) << i << ": " << outcomes[i]->failure_condition;
    } else {
      EXPECT_FALSE(outcomes[i]->success) << i;
      EXPECT_EQ(outcomes[i]->failure_condition, "not-authorized") << i;
    }
  }
}

TEST_F(LoginTest, LibstropheRejectsWrongPassword) {
  const Account dave = daemon().new_account("dave");
  StropheClient client(
      StropheOptions{.jid = dave.jid + "/x", .password = "wrong", .port = daemon().c2s_port()});
  EXPECT_FALSE(client.connect());
  EXPECT_TRUE(client.wait_disconnected());
}

TEST_F(LoginTest, UnknownAccountIsNotAuthorized) {
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.open_stream();
  raw.starttls();
  const SaslOutcome outcome = raw.authenticate(SaslMechanism::plain, "nobody", "whatever");
  EXPECT_FALSE(outcome.success);
  EXPECT_EQ(outcome.failure_condition, "not-authorized");
}

// `parleyctl account import` against the running daemon's database: the imported accounts log
// in with the passwords of the list (spaces included), and a list with one bad line creates
// none of its accounts.
TEST_F(LoginTest, AccountsImportedWithParleyctlLogIn) {
  const std::string domain = daemon().domain();
  const Account erin{"import-erin@" + domain, "erin's pass phrase"};
  const Account finn{"import-finn@" + domain, "finn-pw"};
  const auto list = daemon().dir() / "accounts.txt";
  {
    std::ofstream out(list);
    out << "# provisioning list\n"
        << erin.jid << "  " << erin.password << "\n"
        << finn.jid << "\t" << finn.password << "\r\n";
  }
  const CommandResult imported = daemon().ctl({"--json", "account", "import", list.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
  EXPECT_EQ(nlohmann::json::parse(imported.out),
            nlohmann::json({{"ok", true}, {"added", 2}, {"existing", nlohmann::json::array()}}));
  EXPECT_EQ(login(daemon(), erin)->bound_jid().rfind(erin.jid + "/", 0), 0u);
  EXPECT_EQ(login(daemon(), finn)->bound_jid().rfind(finn.jid + "/", 0), 0u);

  const Account gail{"import-gail@" + domain, "gail-pw"};
  {
    std::ofstream out(list);
    out << gail.jid << " " << gail.password << "\n"
        << "import-hank@" << domain << "\n";
  }
  const CommandResult refused = daemon().ctl({"account", "import", list.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("line 2: no password after the JID"), std::string::npos)
      << refused.err;
  StropheClient client(StropheOptions{
      .jid = gail.jid + "/x", .password = gail.password, .port = daemon().c2s_port()});
  EXPECT_FALSE(client.connect());
}

}  // namespace
}  // namespace parley::it
