// XEP-0045 §7.5: a chat message to room/nick reaches that occupant from the sender's occupant
// JID; non-occupants cannot send them and unknown nicknames are item-not-found.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucPrivateMessageTest : public DaemonSuite<MucPrivateMessageTest> {};

TEST_F(MucPrivateMessageTest, OccupantsWhisper) {
  const std::string room = room_jid(daemon(), "whispers");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  const Account eve = daemon().new_account("eve");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  auto e = online(daemon(), eve);
  enter(*a, room, "al");
  enter(*b, room, "bo");

  a->send(chat(room + "/bo", "psst"));
  const XmlNode got = expect(*b, message_with_body("psst"), "the private message");
  EXPECT_EQ(got.attr_or("from"), room + "/al");
  EXPECT_EQ(got.attr_or("type"), "chat");
  EXPECT_NE(got.child("x", kMucUser), nullptr) << got.to_string();

  a->send(chat(room + "/nobody", "hello?"));
  const XmlNode missing = expect(*a, message_error_from(room), "unknown nickname");
  EXPECT_EQ(stanza_error_condition(missing), "item-not-found");

  e->send(chat(room + "/bo", "spam"));
  const XmlNode refused = expect(*e, message_error_from(room), "not an occupant");
  EXPECT_EQ(stanza_error_condition(refused), "not-acceptable");
  ASSERT_TRUE(b->iq(roster_get()));
  EXPECT_FALSE(b->wait_for(message_with_body("spam"), std::chrono::milliseconds(0)));
}

}  // namespace
}  // namespace parley::it
