// XEP-0045 §8.2: a manager kicks an occupant (role none); the kicked user gets an unavailable
// presence with 307 and 110, the others with 307; the kicked user no longer receives messages.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucKickTest : public DaemonSuite<MucKickTest> {};

XmlNode kick(const std::string& room, const std::string& nick, const std::string& reason) {
  XmlNode item("item", kMucAdmin);
  item.set("nick", nick).set("role", "none").append(XmlNode("reason", kMucAdmin).set_text(reason));
  XmlNode iq("iq");
  iq.set("type", "set").set("to", room).append(XmlNode("query", kMucAdmin).append(std::move(item)));
  return iq;
}

TEST_F(MucKickTest, ManagerKicksAnOccupant) {
  const std::string room = room_jid(daemon(), "kickroom");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  const Account carol = daemon().new_account("carol");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  auto c = online(daemon(), carol);
  enter(*a, room, "boss");
  enter(*b, room, "troll");
  enter(*c, room, "carol");

  // Not a manager: refused.
  auto refused = c->iq(kick(room, "troll", "no"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->attr_or("type"), "error");
  EXPECT_EQ(stanza_error_condition(*refused), "forbidden") << refused->to_string();

  expect_result(a->iq(kick(room, "troll", "spam")), "the kick");
  const XmlNode gone = expect(*b, self_presence(room + "/troll", "unavailable"), "bob's removal");
  EXPECT_TRUE(has_status(gone, "307")) << gone.to_string();
  EXPECT_EQ(gone.child("x", kMucUser)->child("item")->child_text("reason"), "spam");
  const XmlNode seen =
      expect(*c, occupant_presence(room + "/troll", "unavailable"), "carol sees it");
  EXPECT_TRUE(has_status(seen, "307")) << seen.to_string();
  EXPECT_FALSE(has_status(seen, "110"));

  a->send(groupchat(room, "peace"));
  expect(*c, groupchat_with_body("peace"), "carol still in the room");
  ASSERT_TRUE(b->iq(roster_get()));
  EXPECT_FALSE(b->wait_for(groupchat_with_body("peace"), std::chrono::milliseconds(0)));
  // And Bob may no longer post.
  b->send(groupchat(room, "still here?"));
  const XmlNode error = expect(*b, message_error_from(room), "the refusal");
  EXPECT_EQ(stanza_error_condition(error), "not-acceptable");
}

}  // namespace
}  // namespace parley::it
