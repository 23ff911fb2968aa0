#include <gtest/gtest.h>

#include "mapping/model/message.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/model/room.hpp"

namespace parley::model {
namespace {

TEST(Names, MessageTypes) {
  const std::pair<MessageType, std::string_view> expected[] = {
      {MessageType::normal, "normal"},       {MessageType::chat, "chat"},
      {MessageType::groupchat, "groupchat"}, {MessageType::headline, "headline"},
      {MessageType::error, "error"},
  };
  for (auto [type, name] : expected) {
    EXPECT_EQ(message_type_name(type), name);
    EXPECT_EQ(message_type_from_name(name), type);
  }
  // RFC 6121 §5.2.2: no type attribute means "normal".
  EXPECT_EQ(message_type_from_name(""), MessageType::normal);
  EXPECT_EQ(message_type_from_name("Chat"), std::nullopt);
  EXPECT_EQ(message_type_from_name("bogus"), std::nullopt);
}

TEST(Names, PresenceTypes) {
  const std::pair<PresenceType, std::string_view> expected[] = {
      {PresenceType::available, ""},
      {PresenceType::unavailable, "unavailable"},
      {PresenceType::subscribe, "subscribe"},
      {PresenceType::subscribed, "subscribed"},
      {PresenceType::unsubscribe, "unsubscribe"},
      {PresenceType::unsubscribed, "unsubscribed"},
      {PresenceType::probe, "probe"},
      {PresenceType::error, "error"},
  };
  for (auto [type, name] : expected) {
    EXPECT_EQ(presence_type_name(type), name);
    EXPECT_EQ(presence_type_from_name(name), type);
  }
  // "available" is not a wire value (RFC 6121 §4.7.1).
  EXPECT_EQ(presence_type_from_name("available"), std::nullopt);
}

TEST(Names, PresenceIsSubscription) {
  Presence p;
  EXPECT_FALSE(p.is_subscription());
  for (auto t : {PresenceType::subscribe, PresenceType::subscribed, PresenceType::unsubscribe,
                 PresenceType::unsubscribed}) {
    p.type = t;
    EXPECT_TRUE(p.is_subscription());
  }
  p.type = PresenceType::probe;
  EXPECT_FALSE(p.is_subscription());
}

TEST(Names, Show) {
  const std::pair<Show, std::string_view> expected[] = {
      {Show::online, ""}, {Show::away, "away"}, {Show::chat, "chat"},
      {Show::dnd, "dnd"}, {Show::xa, "xa"},
  };
  for (auto [show, name] : expected) {
    EXPECT_EQ(show_name(show), name);
    EXPECT_EQ(show_from_name(name), show);
  }
  EXPECT_EQ(show_from_name("online"), std::nullopt);
  EXPECT_EQ(show_from_name("busy"), std::nullopt);
}

TEST(Names, Rooms) {
  EXPECT_EQ(room_type_name(RoomType::normal), "normal");
  EXPECT_EQ(room_type_name(RoomType::auditorium), "auditorium");
  EXPECT_EQ(room_type_from_name("auditorium"), RoomType::auditorium);
  EXPECT_EQ(room_type_from_name("normal"), RoomType::normal);
  EXPECT_EQ(room_type_from_name(""), std::nullopt);

  EXPECT_EQ(room_privacy_name(RoomPrivacy::open), "open");
  EXPECT_EQ(room_privacy_name(RoomPrivacy::closed), "closed");
  EXPECT_EQ(room_privacy_name(RoomPrivacy::secret), "secret");
  EXPECT_EQ(room_privacy_from_name("secret"), RoomPrivacy::secret);
  EXPECT_EQ(room_privacy_from_name("closed"), RoomPrivacy::closed);
  EXPECT_EQ(room_privacy_from_name("open"), RoomPrivacy::open);
  EXPECT_EQ(room_privacy_from_name("public"), std::nullopt);

  const std::pair<RoomRole, std::string_view> roles[] = {{RoomRole::none, "none"},
                                                         {RoomRole::member, "member"},
                                                         {RoomRole::presenter, "presenter"},
                                                         {RoomRole::manager, "manager"}};
  for (auto [role, name] : roles) {
    EXPECT_EQ(room_role_name(role), name);
    EXPECT_EQ(room_role_from_name(name), role);
  }
  EXPECT_EQ(room_role_from_name("owner"), std::nullopt);
}

}  // namespace
}  // namespace parley::model
