#pragma once
// Pure builders and parsers for the MUC stanzas (XEP-0045): occupant presences with their
// muc#user items and status codes, room messages (live, history, subject), invitations.
// No session, no service: table-tested in tests/unit/adapters/xmpp/muc.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "gateway/api/rooms.hpp"
#include "mapping/model/room_model.hpp"

namespace parley::xmpp::muc {

// XEP-0045 §15.6 status codes used here.
inline constexpr int kStatusNonAnonymous = 100;       // §7.2.4 every occupant sees real JIDs
inline constexpr int kStatusConfigChanged = 104;      // §10.2
inline constexpr int kStatusSelf = 110;               // §7.2.3 self-presence
inline constexpr int kStatusCreated = 201;            // §10.1.1
inline constexpr int kStatusBanned = 301;             // §9.1
inline constexpr int kStatusKicked = 307;             // §8.2
inline constexpr int kStatusAffiliationChange = 321;  // §9.5
inline constexpr int kStatusShutdown = 332;           // §10.9 (room gone)

// "room@conference.example.com" and "room@conference.example.com/nick" (JIDs, not XML).
std::string room_jid(const std::string& room_id, const std::string& muc_domain);
std::string occupant_jid(const std::string& room_jid, const std::string& nickname);

// <presence from=room/nick to=..><x muc#user><item affiliation role jid/><status/>..</x>
// (§7.2.3). `unavailable` makes it type='unavailable' with role none (§7.14).
wire::XmlElement occupant_presence(const std::string& room_jid, const api::Occupant& occupant,
                                   model::RoomType type, const std::string& to,
                                   const std::vector<int>& statuses, bool unavailable = false);

// An occupant removed (§8.2 kick 307, §9.1 ban 301, §9.5 321, §10.9 332): unavailable, role
// none, with the actor and reason; `self` adds 110.
wire::XmlElement removal_presence(const std::string& room_jid, const api::ParticipantRemoved& e,
                                  model::RoomType type, const std::string& to, bool self);

// §10.9: the room was destroyed; sent to each occupant as its own unavailable presence.
wire::XmlElement destroyed_presence(const std::string& room_jid, const std::string& nickname,
                                    const std::string& reason, const std::string& to);

// §7.4 the groupchat message of a post, without 'to' (one per message, shared by every
// recipient): id = origin id, body, XEP-0359 stanza-id by the room and origin-id.
wire::XmlElement groupchat_message(const std::string& room_jid, const model::RoomMessage& message);
// §7.2.15: the same as history: with 'to' and an XEP-0203 delay stamped by the room.
wire::XmlElement history_message(const std::string& room_jid, const model::RoomMessage& message,
                                 const std::string& to);
// §7.2.16 / §8.1: the subject (empty <subject/> when there is none); from the room itself or
// from the occupant who changed it.
wire::XmlElement subject_message(const std::string& from, const std::string& subject,
                                 const std::string& to);
// §10.2: <message type=groupchat from=room><x muc#user><status code=104/></x></message>
wire::XmlElement status_message(const std::string& room_jid, int code, const std::string& to);
// §7.8.2: the mediated invitation as the invitee receives it, from the room.
wire::XmlElement invite_message(const std::string& room_jid, const model::Invitation& invitation,
                                const std::string& to);

// §7.2.15: <history maxchars maxstanzas seconds since/> of a join presence. `now` for seconds.
struct HistoryParams {
  api::HistoryRequest request;
  std::optional<std::size_t> max_chars;  // of the serialized history stanzas; 0 = none
};
HistoryParams parse_history(const wire::XmlElement* muc_x, model::Timestamp now);
// Keeps the newest messages whose serialized stanzas fit max_chars (history is oldest first).
std::size_t history_start_for_chars(const std::vector<wire::XmlElement>& stanzas,
                                    std::size_t max_chars);

// §7.8.2: the <invite to=..><reason/></invite> items of a mediated invitation.
struct InviteRequest {
  std::string to;
  std::string reason;
};
std::vector<InviteRequest> parse_invites(const wire::XmlElement& message);

}  // namespace parley::xmpp::muc
