#pragma once
// Persistent rooms (seed 000, Lync persistent chat) as plain value types: categories, rooms,
// memberships, room messages and invitations. The XMPP MUC (XEP-0045), the SIP/XCCOS face and
// the WebSocket face all present these; nothing here knows any protocol.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "mapping/model/address.hpp"
#include "mapping/model/message.hpp"
#include "mapping/model/payload.hpp"
#include "mapping/model/room.hpp"

namespace parley::model {

// A category groups rooms and carries the rules its rooms share (Lync: "category" with
// creators, invitations and file-post switches and a retention period).
struct Category {
  std::string name;  // unique
  std::string description;
  // Who may create rooms in it: bare users ("alice@example.com") or a bare domain
  // ("example.com", meaning everyone of that domain). Empty: only administrators.
  std::vector<Address> creators;
  bool invitations_allowed = true;    // managers may send invitations
  bool file_posts_allowed = true;     // adapters check it before accepting a file post
  std::chrono::seconds retention{0};  // messages older than this are purged; 0 = forever
  friend bool operator==(const Category&, const Category&) = default;
};

struct Room {
  std::string id;    // stable: the MUC localpart, the XCCOS channel id; [a-z0-9._-], 1..64 chars
  std::string name;  // unique (case-insensitively), what people see
  std::string description;
  std::string topic;                  // XEP-0045 subject
  std::vector<std::string> keywords;  // found by room search
  std::string category;
  RoomType type = RoomType::normal;
  RoomPrivacy privacy = RoomPrivacy::open;
  Timestamp created{};
  friend bool operator==(const Room&, const Room&) = default;
};

// An explicit role in a room. Everyone else has RoomRole::none (a guest of an open room).
struct RoomMember {
  Address user;  // bare
  RoomRole role = RoomRole::none;
  friend bool operator==(const RoomMember&, const RoomMember&) = default;
};

// A message posted to a room. `id` is assigned by the rooms service: a decimal int64 that
// increases monotonically within a room and is never reused anywhere (XEP-0359 stanza-id,
// XEP-0313 archive id, RSM paging key).
struct RoomMessage {
  std::string id;
  std::string room;
  Address from_user;      // bare address of the poster
  std::string nickname;   // the poster's nickname in the room when posting
  std::string origin_id;  // the sender's own message id (echoed back, XEP-0045 §7.4)
  std::string body;
  Timestamp stamp{};
  std::vector<ForeignPayload> extensions;
  friend bool operator==(const RoomMessage&, const RoomMessage&) = default;
};

struct Invitation {
  std::string room;
  Address from;  // bare: the manager who invited
  Address to;    // bare
  std::string reason;
  Timestamp stamp{};
  bool seen = false;
  friend bool operator==(const Invitation&, const Invitation&) = default;
};

// Which end of a time/id range a history page starts from (XEP-0313 §4.3 with XEP-0059:
// `after` pages forward from the oldest, `before` - also empty - pages back from the newest).
enum class HistoryOrder { oldest_first, newest_first };

// Room message ids are int64 sequence numbers; on the wire they are decimal strings. These two
// are the only place that converts (parse at the boundary).
inline std::string room_message_id(std::int64_t sequence) {
  return std::to_string(sequence);
}

inline std::optional<std::int64_t> parse_room_message_id(std::string_view id) {
  std::int64_t value = 0;
  if (id.empty() || id.size() > 19) return std::nullopt;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (error != std::errc{} || end != id.data() + id.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace parley::model
