// Rooms created by an administrator with `parleyctl room create` (docs/admin.md) appear in the
// running daemon after its reload: the auditorium's manager speaks, a plain user is a visitor.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucCtlRoomTest : public DaemonSuite<MucCtlRoomTest> {};

TEST_F(MucCtlRoomTest, AdministratorCreatedAuditorium) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  const auto created = daemon().ctl({"room", "create", "Town Hall", "--category", "general",
                                     "--type", "auditorium", "--manager", alice.jid});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const auto listed = daemon().ctl({"room", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("town-hall"), std::string::npos) << listed.out;

  const std::string room = room_jid(daemon(), "town-hall");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  // The daemon reloads the rooms on SIGHUP (sent by parleyctl): wait for it, bounded.
  XmlNode info("iq");
  info.set("type", "get")
      .set("to", room)
      .append(XmlNode("query", "http://jabber.org/protocol/disco#info"));
  bool visible = false;
  for (int attempt = 0; attempt < 100 && !visible; ++attempt) {
    auto reply = a->iq(info);
    visible = reply && reply->attr_or("type") == "result";
    if (!visible) std::this_thread::sleep_for(std::chrono::milliseconds(50));  // poll the reload
  }
  ASSERT_TRUE(visible) << "the room never appeared";

  const XmlNode owner = enter(*a, room, "host");
  EXPECT_FALSE(has_status(owner, "201"));  // it existed already
  EXPECT_EQ(owner.child("x", kMucUser)->child("item")->attr_or("affiliation"), "owner");
  const XmlNode visitor = enter(*b, room, "guest");
  EXPECT_EQ(visitor.child("x", kMucUser)->child("item")->attr_or("role"), "visitor");
  b->send(groupchat(room, "hello?"));
  EXPECT_EQ(stanza_error_condition(expect(*b, message_error_from(room), "the refusal")),
            "forbidden");
  a->send(groupchat(room, "welcome"));
  expect(*b, groupchat_with_body("welcome"), "the manager's message");
}

}  // namespace
}  // namespace parley::it
