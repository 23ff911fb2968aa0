// XEP-0045 §7.2.15/§7.2.16: a late joiner gets the newest messages (maxstanzas) as delayed
// groupchat messages stamped by the room, then the subject.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucHistoryTest : public DaemonSuite<MucHistoryTest> {};

TEST_F(MucHistoryTest, LateJoinerGetsTheNewestMessagesThenTheSubject) {
  const std::string room = room_jid(daemon(), "history-room");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  enter(*a, room, "al");
  for (const char* body : {"one", "two", "three"}) {
    a->send(groupchat(room, body));
    expect(*a, groupchat_with_body(body), "the echo");  // committed once echoed
  }

  auto b = online(daemon(), bob);
  b->send(join_presence(room, "bo", 2));
  expect(*b, self_presence(room + "/bo"), "bob's self-presence");
  // History in order, oldest of the two first, each delayed by the room.
  std::vector<XmlNode> history;
  for (int i = 0; i < 2; ++i) {
    auto got = b->wait_for([](const XmlNode& n) {
      return n.name() == "message" && n.attr_or("type") == "groupchat" && n.child("body");
    });
    ASSERT_TRUE(got) << b->dump_queue();
    history.push_back(*got);
  }
  EXPECT_EQ(history[0].child_text("body"), "two");
  EXPECT_EQ(history[1].child_text("body"), "three");
  for (const auto& message : history) {
    const XmlNode* delay = message.child("delay", "urn:xmpp:delay");
    ASSERT_NE(delay, nullptr) << message.to_string();
    EXPECT_EQ(delay->attr_or("from"), room);
    EXPECT_FALSE(delay->attr_or("stamp").empty());
  }
  // §7.2.16: then the subject, always (empty here).
  auto next = b->wait_for([](const XmlNode& n) { return n.name() == "message"; });
  ASSERT_TRUE(next) << b->dump_queue();
  ASSERT_NE(next->child("subject"), nullptr) << next->to_string();
  EXPECT_EQ(next->child_text("subject"), "");

  // A subject change by the owner reaches everyone (§8.1), and a later joiner sees it.
  XmlNode subject("message");
  subject.set("to", room).set("type", "groupchat").append(XmlNode("subject").set_text("Agenda"));
  a->send(subject);
  const XmlNode changed = expect(*b, subject_from_room(room), "the new subject");
  EXPECT_EQ(changed.child_text("subject"), "Agenda");
  EXPECT_EQ(changed.attr_or("from"), room + "/al");
}

}  // namespace
}  // namespace parley::it
