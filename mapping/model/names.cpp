// Wire names of the message, presence and room vocabularies.
#include "mapping/model/message.hpp"
#include "mapping/model/name_table.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/model/room.hpp"

namespace parley::model {
namespace {

// RFC 6121 §5.2.2 message types.
constexpr detail::NameTable<MessageType, 5> kMessageTypes = {{
    {MessageType::normal, "normal"},
    {MessageType::chat, "chat"},
    {MessageType::groupchat, "groupchat"},
    {MessageType::headline, "headline"},
    {MessageType::error, "error"},
}};

// RFC 6121 §4.7.1: absence of 'type' means available, so its name is empty.
constexpr detail::NameTable<PresenceType, 8> kPresenceTypes = {{
    {PresenceType::available, ""},
    {PresenceType::unavailable, "unavailable"},
    {PresenceType::subscribe, "subscribe"},
    {PresenceType::subscribed, "subscribed"},
    {PresenceType::unsubscribe, "unsubscribe"},
    {PresenceType::unsubscribed, "unsubscribed"},
    {PresenceType::probe, "probe"},
    {PresenceType::error, "error"},
}};

// RFC 6121 §4.7.2.1: absence of <show/> means online.
constexpr detail::NameTable<Show, 5> kShows = {{
    {Show::online, ""},
    {Show::away, "away"},
    {Show::chat, "chat"},
    {Show::dnd, "dnd"},
    {Show::xa, "xa"},
}};

constexpr detail::NameTable<RoomType, 2> kRoomTypes = {{
    {RoomType::normal, "normal"},
    {RoomType::auditorium, "auditorium"},
}};

constexpr detail::NameTable<RoomPrivacy, 3> kRoomPrivacies = {{
    {RoomPrivacy::open, "open"},
    {RoomPrivacy::closed, "closed"},
    {RoomPrivacy::secret, "secret"},
}};

constexpr detail::NameTable<RoomRole, 4> kRoomRoles = {{
    {RoomRole::none, "none"},
    {RoomRole::member, "member"},
    {RoomRole::presenter, "presenter"},
    {RoomRole::manager, "manager"},
}};

}  // namespace

std::string_view message_type_name(MessageType type) {
  return detail::name_of(kMessageTypes, type);
}
std::optional<MessageType> message_type_from_name(std::string_view name) {
  // RFC 6121 §5.2.2: a missing type attribute means "normal".
  if (name.empty()) return MessageType::normal;
  return detail::value_of(kMessageTypes, name);
}

std::string_view presence_type_name(PresenceType type) {
  return detail::name_of(kPresenceTypes, type);
}
std::optional<PresenceType> presence_type_from_name(std::string_view name) {
  return detail::value_of(kPresenceTypes, name);
}

std::string_view show_name(Show show) {
  return detail::name_of(kShows, show);
}
std::optional<Show> show_from_name(std::string_view name) {
  return detail::value_of(kShows, name);
}

std::string_view room_type_name(RoomType t) {
  return detail::name_of(kRoomTypes, t);
}
std::optional<RoomType> room_type_from_name(std::string_view s) {
  return detail::value_of(kRoomTypes, s);
}
std::string_view room_privacy_name(RoomPrivacy p) {
  return detail::name_of(kRoomPrivacies, p);
}
std::optional<RoomPrivacy> room_privacy_from_name(std::string_view s) {
  return detail::value_of(kRoomPrivacies, s);
}
std::string_view room_role_name(RoomRole r) {
  return detail::name_of(kRoomRoles, r);
}
std::optional<RoomRole> room_role_from_name(std::string_view s) {
  return detail::value_of(kRoomRoles, s);
}

}  // namespace parley::model
