#include "adapters/xmpp/muc/muc_stanzas.hpp"

#include <gtest/gtest.h>

#include "adapters/xmpp/muc/muc_namespaces.hpp"

namespace parley::xmpp::muc {
namespace {

using namespace std::chrono_literals;

model::Address addr(std::string_view text) {
  return model::Address::parse(text).value();
}

std::vector<std::string> statuses(const wire::XmlElement& stanza) {
  std::vector<std::string> codes;
  const auto* x = stanza.child("x", ns::kMucUser);
  if (!x) return codes;
  for (const auto* status : x->children("status")) codes.push_back(status->attr_or("code"));
  return codes;
}

const std::string kRoom = "team@conference.example.com";

TEST(MucStanzas, RoomAndOccupantJids) {
  EXPECT_EQ(room_jid("team", "conference.example.com"), kRoom);
  EXPECT_EQ(occupant_jid(kRoom, "Al"), kRoom + "/Al");
}

TEST(MucStanzas, SelfPresenceCarriesRealJidAndStatusCodes) {
  api::Occupant self{"al", addr("alice@example.com"), model::RoomRole::manager};
  auto presence = occupant_presence(kRoom, self, model::RoomType::normal, "alice@example.com/pc",
                                    {100, 110, 201});
  EXPECT_EQ(presence.attr_or("from"), kRoom + "/al");
  EXPECT_EQ(presence.attr_or("to"), "alice@example.com/pc");
  EXPECT_FALSE(presence.attr("type"));
  const auto* item = presence.child("x", ns::kMucUser)->child("item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->attr_or("affiliation"), "owner");
  EXPECT_EQ(item->attr_or("role"), "moderator");
  EXPECT_EQ(item->attr_or("jid"), "alice@example.com");
  EXPECT_EQ(statuses(presence), (std::vector<std::string>{"100", "110", "201"}));
}

TEST(MucStanzas, UnavailablePresenceHasRoleNone) {
  api::Occupant bob{"bob", addr("bob@example.com"), model::RoomRole::member};
  auto presence =
      occupant_presence(kRoom, bob, model::RoomType::normal, "x@example.com/a", {}, true);
  EXPECT_EQ(presence.attr_or("type"), "unavailable");
  EXPECT_EQ(presence.child("x", ns::kMucUser)->child("item")->attr_or("role"), "none");
  EXPECT_EQ(presence.child("x", ns::kMucUser)->child("item")->attr_or("affiliation"), "member");
}

TEST(MucStanzas, RemovalPresenceNamesCauseActorAndReason) {
  api::ParticipantRemoved kicked{"team",
                                 {"bob", addr("bob@example.com"), model::RoomRole::none},
                                 api::RemovalCause::kicked,
                                 addr("alice@example.com"),
                                 "spam"};
  auto presence = removal_presence(kRoom, kicked, model::RoomType::normal, "bob@example.com/a",
                                   /*self=*/true);
  EXPECT_EQ(presence.attr_or("type"), "unavailable");
  const auto* item = presence.child("x", ns::kMucUser)->child("item");
  EXPECT_EQ(item->attr_or("role"), "none");
  EXPECT_EQ(item->child("actor")->attr_or("jid"), "alice@example.com");
  EXPECT_EQ(item->child_text("reason"), "spam");
  EXPECT_EQ(statuses(presence), (std::vector<std::string>{"110", "307"}));

  api::ParticipantRemoved banned = kicked;
  banned.cause = api::RemovalCause::banned;
  auto ban = removal_presence(kRoom, banned, model::RoomType::normal, "carol@example.com/a", false);
  EXPECT_EQ(ban.child("x", ns::kMucUser)->child("item")->attr_or("affiliation"), "outcast");
  EXPECT_EQ(statuses(ban), (std::vector<std::string>{"301"}));
}

TEST(MucStanzas, GroupchatMessageHasStanzaIdAndOriginId) {
  model::RoomMessage message;
  message.id = "42";
  message.room = "team";
  message.from_user = addr("alice@example.com");
  message.nickname = "al";
  message.origin_id = "client-1";
  message.body = "hi <all>";
  auto stanza = groupchat_message(kRoom, message);
  EXPECT_EQ(stanza.attr_or("from"), kRoom + "/al");
  EXPECT_FALSE(stanza.attr("to"));  // set per recipient
  EXPECT_EQ(stanza.attr_or("type"), "groupchat");
  EXPECT_EQ(stanza.attr_or("id"), "client-1");
  EXPECT_EQ(stanza.child_text("body"), "hi <all>");
  const auto* sid = stanza.child("stanza-id", ns::kStanzaId);
  ASSERT_NE(sid, nullptr);
  EXPECT_EQ(sid->attr_or("id"), "42");
  EXPECT_EQ(sid->attr_or("by"), kRoom);
  EXPECT_EQ(stanza.child("origin-id", ns::kStanzaId)->attr_or("id"), "client-1");
  EXPECT_EQ(stanza.child("delay", ns::kDelay), nullptr);

  message.stamp = model::Timestamp{} + 1700000000s;
  auto history = history_message(kRoom, message, "bob@example.com/b");
  EXPECT_EQ(history.attr_or("to"), "bob@example.com/b");
  const auto* delay = history.child("delay", ns::kDelay);
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(delay->attr_or("from"), kRoom);
  EXPECT_EQ(delay->attr_or("stamp"), "2023-11-14T22:13:20Z");
}

TEST(MucStanzas, SubjectIsAlwaysPresentEvenEmpty) {
  auto empty = subject_message(kRoom, "", "bob@example.com/b");
  ASSERT_NE(empty.child("subject"), nullptr);
  EXPECT_EQ(empty.child_text("subject"), "");
  EXPECT_EQ(empty.child("body"), nullptr);
  EXPECT_EQ(empty.attr_or("type"), "groupchat");
}

TEST(MucStanzas, InviteMessageComesFromTheRoom) {
  model::Invitation invitation{
      "team", addr("alice@example.com"), addr("bob@example.com"), "join us", {}, false};
  auto stanza = invite_message(kRoom, invitation, "bob@example.com/b");
  EXPECT_EQ(stanza.attr_or("from"), kRoom);
  const auto* invite = stanza.child("x", ns::kMucUser)->child("invite");
  ASSERT_NE(invite, nullptr);
  EXPECT_EQ(invite->attr_or("from"), "alice@example.com");
  EXPECT_EQ(invite->child_text("reason"), "join us");
}

TEST(MucStanzas, HistoryParameters) {
  const auto now = model::Timestamp{} + 1000000s;
  EXPECT_FALSE(parse_history(nullptr, now).request.max_messages);

  wire::XmlElement x("x", std::string(ns::kMuc));
  x.add_child("history").set_attr("maxstanzas", "5").set_attr("seconds", "60");
  auto params = parse_history(&x, now);
  EXPECT_EQ(params.request.max_messages, 5u);
  EXPECT_EQ(params.request.since, now - 60s);
  EXPECT_FALSE(params.max_chars);

  wire::XmlElement none("x", std::string(ns::kMuc));
  none.add_child("history").set_attr("maxchars", "0");
  EXPECT_EQ(parse_history(&none, now).request.max_messages, 0u);  // §7.2.15: no history

  wire::XmlElement bad("x", std::string(ns::kMuc));
  bad.add_child("history").set_attr("maxstanzas", "-3").set_attr("since", "1970-01-12T13:46:40Z");
  auto lenient = parse_history(&bad, now);
  EXPECT_FALSE(lenient.request.max_messages);
  EXPECT_EQ(lenient.request.since, now);
}

TEST(MucStanzas, MaxCharsKeepsTheNewestThatFit) {
  std::vector<wire::XmlElement> stanzas;
  for (int i = 0; i < 3; ++i) {
    wire::XmlElement m("message", std::string(ns::kClient));
    m.add_child("body").set_text(std::string(10, static_cast<char>('a' + i)));
    stanzas.push_back(m);
  }
  const std::size_t one = stanzas[0].serialize(ns::kClient).size();
  EXPECT_EQ(history_start_for_chars(stanzas, 0), 3u);
  EXPECT_EQ(history_start_for_chars(stanzas, one), 2u);
  EXPECT_EQ(history_start_for_chars(stanzas, 2 * one + 1), 1u);
  EXPECT_EQ(history_start_for_chars(stanzas, 100 * one), 0u);
}

TEST(MucStanzas, InvitesAreParsed) {
  wire::XmlElement message("message", std::string(ns::kClient));
  auto& x = message.add_child("x", std::string(ns::kMucUser));
  x.add_child("invite").set_attr("to", "bob@example.com").add_child("reason").set_text("hey");
  x.add_child("invite").set_attr("to", "carol@example.com");
  auto invites = parse_invites(message);
  ASSERT_EQ(invites.size(), 2u);
  EXPECT_EQ(invites[0].to, "bob@example.com");
  EXPECT_EQ(invites[0].reason, "hey");
  EXPECT_EQ(invites[1].to, "carol@example.com");
  EXPECT_TRUE(parse_invites(wire::XmlElement("message", std::string(ns::kClient))).empty());
}

}  // namespace
}  // namespace parley::xmpp::muc
