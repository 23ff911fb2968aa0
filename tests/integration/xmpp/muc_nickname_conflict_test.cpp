// XEP-0045 §7.2.9: a nickname used by another user is refused with <conflict/>; the same
// user's second session may share its own nickname (§7.2.10, one occupant).
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucNicknameConflictTest : public DaemonSuite<MucNicknameConflictTest> {};

TEST_F(MucNicknameConflictTest, AnotherUsersNicknameIsAConflict) {
  const std::string room = room_jid(daemon(), "nicks");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  enter(*a, room, "sam");

  b->send(join_presence(room, "sam"));
  const XmlNode error = expect(*b, presence_error_from(room + "/sam"), "the join error");
  EXPECT_EQ(stanza_error_condition(error), "conflict");
  // Bob is not in the room: Alice saw nobody join, and Bob can still join under another name.
  enter(*b, room, "bob");
  expect(*a, occupant_presence(room + "/bob"), "alice sees bob");
  ASSERT_TRUE(a->iq(roster_get()));
  EXPECT_FALSE(a->wait_for(occupant_presence(room + "/sam"), std::chrono::milliseconds(0)));

  // The same user from a second session shares the nickname.
  auto a2 = online(daemon(), alice, {.resource = "second"});
  enter(*a2, room, "sam");

  // §7.6 nickname changes are refused with a clear error (leave and join again instead).
  b->send(join_presence(room, "robert"));
  const XmlNode change = expect(*b, presence_error_from(room + "/robert"), "the nick change");
  EXPECT_EQ(stanza_error_condition(change), "not-allowed");
}

}  // namespace
}  // namespace parley::it
