#pragma once
// Checks on names coming from users (parse at the boundary): room ids, room names, nicknames.
#include <string>
#include <string_view>

namespace parley::core::rooms {

inline constexpr std::size_t kMaxRoomIdBytes = 64;
inline constexpr std::size_t kMaxRoomNameBytes = 256;
inline constexpr std::size_t kMaxNicknameBytes = 128;

// [a-z0-9][a-z0-9._-]*, at most 64 bytes: valid as an XMPP localpart without escaping
// (RFC 7622 §3.3) and as an XCCOS channel id.
bool valid_room_id(std::string_view id);
// A room id derived from a display name: ASCII letters lowercased, runs of anything else
// become one '-', trimmed; "room" when nothing is left. Always valid_room_id().
std::string room_id_from_name(std::string_view name);
// Non-empty, not only spaces, no control characters, at most 256 bytes.
bool valid_room_name(std::string_view name);
// XEP-0045 §7.2.8 nicknames are resourceparts: non-empty, no control characters, not only
// spaces, at most 128 bytes (stricter than the 1023 of RFC 7622 on purpose).
bool valid_nickname(std::string_view nickname);
// ASCII case folding, matching the rooms.name COLLATE NOCASE uniqueness in the store.
std::string fold_name(std::string_view name);

}  // namespace parley::core::rooms
