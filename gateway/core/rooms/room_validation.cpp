#include "gateway/core/rooms/room_validation.hpp"

#include <algorithm>

namespace parley::core::rooms {
namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

bool only_spaces(std::string_view text) {
  return text.find_first_not_of(' ') == std::string_view::npos;
}

}  // namespace

bool valid_room_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRoomIdBytes || !lower_alnum(id.front())) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return lower_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

std::string room_id_from_name(std::string_view name) {
  std::string id;
  for (char c : name) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower_alnum(lower)) {
      id += lower;
    } else if (!id.empty() && id.back() != '-') {
      id += '-';
    }
    if (id.size() >= kMaxRoomIdBytes - 8) break;  // room for a "-<n>" suffix
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id.empty() ? "room" : id;
}

bool valid_room_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxRoomNameBytes && !has_control(name) &&
         !only_spaces(name);
}

bool valid_nickname(std::string_view nickname) {
  return !nickname.empty() && nickname.size() <= kMaxNicknameBytes && !has_control(nickname) &&
         !only_spaces(nickname);
}

std::string fold_name(std::string_view name) {
  std::string folded(name);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

}  // namespace parley::core::rooms
