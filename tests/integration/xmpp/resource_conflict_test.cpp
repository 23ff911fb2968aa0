// A second login with the same full JID replaces the first session, which is closed with a
// <conflict/> stream error (RFC 6120 §7.7.2.2 "override", §4.9.3.3); the new session works.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class ResourceConflictTest : public DaemonSuite<ResourceConflictTest> {};

TEST_F(ResourceConflictTest, SecondLoginWithSameResourceReplacesTheFirst) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto first = online(daemon(), alice, {.resource = "desk"});
  auto b = online(daemon(), bob);

  auto second = login(daemon(), alice, {.resource = "desk"});
  EXPECT_EQ(second->bound_jid(), alice.jid + "/desk");
  ASSERT_TRUE(first->wait_disconnected()) << first->failure_description();
  EXPECT_EQ(first->stream_error(), "conflict");

  second->send(presence());
  expect(
      *second, [&](const XmlNode& n) { return presence_from(alice.jid)(n); },
      "the new session's own presence");
  b->send(chat(alice.jid + "/desk", "to the new one"));
  expect(*second, message_with_body("to the new one"), "the message on the replacing session");
}

TEST_F(ResourceConflictTest, DifferentResourcesCoexist) {
  const Account carol = daemon().new_account("carol");
  auto one = online(daemon(), carol, {.resource = "one"});
  auto two = online(daemon(), carol, {.resource = "two"});
  // Each resource sees the other's presence (RFC 6121 §4.2.2) and both stay connected.
  expect(
      *one,
      [&](const XmlNode& n) {
        return n.name() == "presence" && n.attr_or("from") == two->bound_jid();
      },
      "the second resource's presence");
  EXPECT_TRUE(one->connected());
  EXPECT_TRUE(two->connected());
}

}  // namespace
}  // namespace parley::it
