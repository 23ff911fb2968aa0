// MucParticipant: the rooms service's events become XEP-0045 stanzas for the session, in the
// order §7.2 prescribes, and the groupchat element is built once per message.
#include "adapters/xmpp/muc/muc_participant.hpp"

#include <gtest/gtest.h>

#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::muc {
namespace {

using test::addr;

class MucParticipantTest : public test::FeatureTest {
 protected:
  MucParticipantTest() {
    room->id = "team";
    room->name = "Team";
    room->topic = "Plans";
    participant = std::make_shared<MucParticipant>(registry, session.poster());
  }

  std::shared_ptr<const model::RoomMessage> message(std::string id, std::string body) {
    auto m = std::make_shared<model::RoomMessage>();
    m->id = std::move(id);
    m->room = "team";
    m->from_user = addr("romeo@example.com");
    m->nickname = "romeo";
    m->body = std::move(body);
    return m;
  }

  void join() {
    api::JoinResult result;
    result.room = room;
    result.self = {"jules", addr("juliet@example.com"), model::RoomRole::manager};
    result.occupants = {result.self, {"romeo", addr("romeo@example.com"), model::RoomRole::none}};
    result.history = {message("1", "old one"), message("2", "old two")};
    participant->on_joined(session, result, /*created=*/false, std::nullopt);
  }

  std::shared_ptr<MucRegistry> registry = std::make_shared<MucRegistry>("conference.example.com");
  std::shared_ptr<model::Room> room = std::make_shared<model::Room>();
  std::shared_ptr<MucParticipant> participant;
};

TEST_F(MucParticipantTest, JoinSendsOccupantsSelfHistoryThenSubject) {
  join();
  ASSERT_EQ(session.sent.size(), 5u);
  // §7.2.3 others first, then self with 110; §7.2.15 history; §7.2.16 subject last.
  EXPECT_EQ(session.sent[0].attr_or("from"), "team@conference.example.com/romeo");
  EXPECT_EQ(session.sent[1].attr_or("from"), "team@conference.example.com/jules");
  const auto* x = session.sent[1].child("x", ns::kMucUser);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->children("status").size(), 2u);  // 100 and 110
  EXPECT_EQ(session.sent[2].child_text("body"), "old one");
  EXPECT_NE(session.sent[2].child("delay", ns::kDelay), nullptr);
  EXPECT_EQ(session.sent[3].child_text("body"), "old two");
  EXPECT_EQ(session.sent[4].child_text("subject"), "Plans");
  for (const auto& stanza : session.sent) {
    EXPECT_EQ(stanza.attr_or("to"), "juliet@example.com/balcony");
  }
  // Known for private messages.
  EXPECT_EQ(registry->find("team", "jules").size(), 1u);
}

TEST_F(MucParticipantTest, PostedMessagesAreDeliveredOnTheStrandWithTheSharedElement) {
  join();
  session.sent.clear();
  auto posted = message("3", "live");
  participant->deliver(api::RoomMessagePosted{posted});
  EXPECT_TRUE(session.sent.empty());  // only on the strand
  session.run_posted();
  ASSERT_EQ(session.sent.size(), 1u);
  EXPECT_EQ(session.sent[0].child_text("body"), "live");
  EXPECT_EQ(session.sent[0].attr_or("to"), "juliet@example.com/balcony");
  EXPECT_EQ(session.sent[0].child("stanza-id", ns::kStanzaId)->attr_or("id"), "3");
  // Built once per message for every recipient.
  EXPECT_EQ(registry->groupchat(posted).get(), registry->groupchat(posted).get());
  EXPECT_NE(registry->groupchat(posted).get(), registry->groupchat(message("3", "live")).get());
}

TEST_F(MucParticipantTest, EventsOfRoomsNotJoinedAreIgnored) {
  participant->deliver(api::RoomMessagePosted{message("3", "live")});
  participant->deliver(api::ParticipantJoined{"team", {"x", addr("x@example.com")}});
  session.run_posted();
  EXPECT_TRUE(session.sent.empty());
}

TEST_F(MucParticipantTest, BeingKickedEndsTheRoom) {
  join();
  session.sent.clear();
  participant->deliver(api::ParticipantRemoved{"team",
                                               {"jules", addr("juliet@example.com")},
                                               api::RemovalCause::kicked,
                                               addr("romeo@example.com"),
                                               "bye"});
  session.run_posted();
  ASSERT_EQ(session.sent.size(), 1u);
  EXPECT_EQ(session.sent[0].attr_or("type"), "unavailable");
  EXPECT_EQ(participant->find("team"), nullptr);
  EXPECT_TRUE(registry->find("team", "jules").empty());
}

TEST_F(MucParticipantTest, OthersJoinLeaveAndChangeRoles) {
  join();
  session.sent.clear();
  participant->deliver(api::ParticipantJoined{"team", {"ben", addr("ben@example.com")}});
  participant->deliver(api::ParticipantRoleChanged{"team", addr("ben@example.com"), "ben",
                                                   model::RoomRole::manager});
  participant->deliver(api::ParticipantLeft{"team", {"ben", addr("ben@example.com")}});
  participant->deliver(api::TopicChanged{"team", "New", addr("romeo@example.com"), "romeo"});
  session.run_posted();
  ASSERT_EQ(session.sent.size(), 4u);
  EXPECT_FALSE(session.sent[0].attr("type"));
  EXPECT_EQ(session.sent[1].child("x", ns::kMucUser)->child("item")->attr_or("role"), "moderator");
  EXPECT_EQ(session.sent[2].attr_or("type"), "unavailable");
  EXPECT_EQ(session.sent[3].attr_or("from"), "team@conference.example.com/romeo");
  EXPECT_EQ(session.sent[3].child_text("subject"), "New");
  EXPECT_EQ(participant->find("team")->occupants.count("ben"), 0u);
}

TEST_F(MucParticipantTest, InvitationsArriveFromTheRoom) {
  participant->deliver(api::InvitationReceived{
      {"team", addr("romeo@example.com"), addr("juliet@example.com"), "come", {}, false}});
  session.run_posted();
  ASSERT_EQ(session.sent.size(), 1u);
  EXPECT_EQ(session.sent[0].attr_or("from"), "team@conference.example.com");
  EXPECT_EQ(session.sent[0].child("x", ns::kMucUser)->child("invite")->attr_or("from"),
            "romeo@example.com");
}

}  // namespace
}  // namespace parley::xmpp::muc
