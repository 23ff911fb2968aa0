// Direct TLS (XEP-0368): TLS from the first byte on its own port, then SASL and binding as
// usual; no STARTTLS is offered inside an already encrypted stream (RFC 6120 §5.3.1).
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class DirectTlsTest : public DaemonSuite<DirectTlsTest> {};

TEST_F(DirectTlsTest, LibstropheLogsInWithLegacySsl) {
  const Account alice = daemon().new_account("alice");
  auto client = login(daemon(), alice, {.resource = "tls", .direct_tls = true});
  EXPECT_EQ(client->bound_jid(), alice.jid + "/tls");
  auto roster = client->iq(roster_get());
  ASSERT_TRUE(roster);
  EXPECT_EQ(roster->attr_or("type"), "result");
}

TEST_F(DirectTlsTest, RawClientSeesNoStarttlsAndCanUsePlain) {
  const Account bob = daemon().new_account("bob");
  RawClient raw(daemon().direct_tls_port(), Transport::direct_tls);
  const XmlNode features = raw.open_stream();
  EXPECT_EQ(features.child("starttls", kNsTls), nullptr) << features.to_string();
  const SaslOutcome outcome = raw.authenticate(SaslMechanism::plain, bob.local(), bob.password);
  ASSERT_TRUE(outcome.success) << outcome.failure_condition;
  raw.restart_stream();
  EXPECT_EQ(raw.bind("r"), bob.jid + "/r");
}

TEST_F(DirectTlsTest, MessagesFlowBetweenDirectTlsAndStarttlsSessions) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice, {.resource = "direct", .direct_tls = true});
  auto b = online(daemon(), bob, {.resource = "starttls"});
  a->send(chat(b->bound_jid(), "across ports"));
  expect(*b, message_with_body("across ports"), "the message from the direct-TLS session");
  b->send(chat(a->bound_jid(), "and back"));
  expect(*a, message_with_body("and back"), "the reply");
}

}  // namespace
}  // namespace parley::it
