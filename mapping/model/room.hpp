#pragma once
// Persistent room vocabulary (seed 000, Lync persistent chat), ready for the rooms service.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::model {

enum class RoomType { normal, auditorium };       // auditorium: only presenters post
enum class RoomPrivacy { open, closed, secret };  // secret: members only, never found by search
enum class RoomRole { none, member, presenter, manager };

std::string_view room_type_name(RoomType t);
std::optional<RoomType> room_type_from_name(std::string_view s);
std::string_view room_privacy_name(RoomPrivacy p);
std::optional<RoomPrivacy> room_privacy_from_name(std::string_view s);
std::string_view room_role_name(RoomRole r);
std::optional<RoomRole> room_role_from_name(std::string_view s);

}  // namespace parley::model
