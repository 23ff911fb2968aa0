// Auditoriums are XEP-0045 moderated rooms: only presenters and managers speak; others are
// visitors and their posts are refused with <forbidden/> (§7.4).
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucAuditoriumTest : public DaemonSuite<MucAuditoriumTest> {};

TEST_F(MucAuditoriumTest, NonPresentersCannotPost) {
  const std::string room = room_jid(daemon(), "town-hall");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  enter(*a, room, "host");
  expect_result(a->iq(configure(room, {{"muc#roomconfig_moderatedroom", "1"}})),
                "making the room an auditorium");

  const XmlNode self = enter(*b, room, "listener");
  EXPECT_EQ(self.child("x", kMucUser)->child("item")->attr_or("role"), "visitor")
      << self.to_string();
  b->send(groupchat(room, "may I?"));
  const XmlNode error = expect(*b, message_error_from(room), "the refusal");
  EXPECT_EQ(stanza_error_condition(error), "forbidden");

  a->send(groupchat(room, "welcome"));
  expect(*b, groupchat_with_body("welcome"), "the presenter's message");
  ASSERT_TRUE(a->iq(roster_get()));
  EXPECT_FALSE(a->wait_for(groupchat_with_body("may I?"), std::chrono::milliseconds(0)));

  // Granting voice (§8.3) makes Bob a presenter: now he may speak.
  XmlNode item("item", kMucAdmin);
  item.set("nick", "listener").set("role", "participant");
  XmlNode iq("iq");
  iq.set("type", "set").set("to", room).append(XmlNode("query", kMucAdmin).append(item));
  expect_result(a->iq(iq), "granting voice");
  b->send(groupchat(room, "thanks"));
  expect(*a, groupchat_with_body("thanks"), "bob's message after voice");
}

}  // namespace
}  // namespace parley::it
