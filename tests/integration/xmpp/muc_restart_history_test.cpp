// Rooms are persistent: after a daemon restart the room exists with its history, and a joiner
// gets the messages posted before the restart.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucRestartHistoryTest : public DaemonSuite<MucRestartHistoryTest> {};

TEST_F(MucRestartHistoryTest, HistorySurvivesARestart) {
  const std::string room = room_jid(daemon(), "archive-room");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  {
    auto a = online(daemon(), alice);
    enter(*a, room, "al");
    a->send(groupchat(room, "before the restart"));
    expect(*a, groupchat_with_body("before the restart"), "the echo (committed)");
    a->disconnect();
  }
  ASSERT_EQ(daemon().stop(), 0);
  daemon().start();

  auto b = online(daemon(), bob);
  const XmlNode self = enter(*b, room, "bo", 10);  // history is queued before the subject
  EXPECT_FALSE(has_status(self, "201")) << "the room was created again: " << self.to_string();
  const XmlNode old = expect(*b, groupchat_with_body("before the restart"), "the history");
  EXPECT_NE(old.child("delay", "urn:xmpp:delay"), nullptr) << old.to_string();
  EXPECT_EQ(old.attr_or("from"), room + "/al");
}

}  // namespace
}  // namespace parley::it
