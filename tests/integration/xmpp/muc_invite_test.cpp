// XEP-0045 §7.8.2 mediated invitation: a manager invites through the room; the invitee's
// online session receives a message from the room with <invite from=manager/>.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucInviteTest : public DaemonSuite<MucInviteTest> {};

TEST_F(MucInviteTest, MediatedInvitationReachesTheInvitee) {
  const std::string room = room_jid(daemon(), "party");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  enter(*a, room, "al");

  XmlNode invite("invite", kMucUser);
  invite.set("to", bob.jid).append(XmlNode("reason", kMucUser).set_text("come over"));
  XmlNode message("message");
  message.set("to", room).append(XmlNode("x", kMucUser).append(std::move(invite)));
  a->send(message);

  const XmlNode got = expect(
      *b,
      [&](const XmlNode& n) {
        const XmlNode* x = n.child("x", kMucUser);
        return n.name() == "message" && n.attr_or("from") == room && x && x->child("invite");
      },
      "the invitation");
  const XmlNode* received = got.child("x", kMucUser)->child("invite");
  EXPECT_EQ(received->attr_or("from"), alice.jid);
  EXPECT_EQ(received->child_text("reason"), "come over");
  enter(*b, room, "bo");  // and the invitee can join
}

TEST_F(MucInviteTest, OnlyManagersInvite) {
  const std::string room = room_jid(daemon(), "quiet");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  const Account carol = daemon().new_account("carol");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  enter(*a, room, "al");
  enter(*b, room, "bo");
  XmlNode message("message");
  message.set("to", room)
      .append(XmlNode("x", kMucUser).append(XmlNode("invite", kMucUser).set("to", carol.jid)));
  b->send(message);
  const XmlNode error = expect(*b, message_error_from(room), "the refusal");
  EXPECT_EQ(stanza_error_condition(error), "forbidden");
}

}  // namespace
}  // namespace parley::it
