#include "adapters/xmpp/muc/muc_stanzas.hpp"

#include <charconv>
#include <chrono>

#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "adapters/xmpp/muc/muc_roles.hpp"
#include "mapping/xmpp/datetime.hpp"

namespace parley::xmpp::muc {
namespace {

using wire::XmlElement;

std::optional<std::size_t> parse_count(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  std::size_t value = 0;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

XmlElement& add_status(XmlElement& x, int code) {
  return x.add_child("status").set_attr("code", std::to_string(code));
}

XmlElement presence_from(const std::string& from, const std::string& to) {
  XmlElement presence("presence", std::string(ns::kClient));
  presence.set_attr("from", from);
  if (!to.empty()) presence.set_attr("to", to);
  return presence;
}

}  // namespace

std::string room_jid(const std::string& room_id, const std::string& muc_domain) {
  return room_id + "@" + muc_domain;
}

std::string occupant_jid(const std::string& room_jid, const std::string& nickname) {
  return room_jid + "/" + nickname;
}

XmlElement occupant_presence(const std::string& room_jid, const api::Occupant& occupant,
                             model::RoomType type, const std::string& to,
                             const std::vector<int>& statuses, bool unavailable) {
  XmlElement presence = presence_from(occupant_jid(room_jid, occupant.nickname), to);
  if (unavailable) presence.set_attr("type", "unavailable");
  auto& x = presence.add_child("x", std::string(ns::kMucUser));
  const auto position = muc_position(occupant.role, type);
  auto& item = x.add_child("item");
  item.set_attr("affiliation", std::string(position.affiliation));
  item.set_attr("role", unavailable ? "none" : std::string(position.role));
  // §7.2.4 non-anonymous room: every occupant sees the real (bare) JID.
  if (!occupant.user.empty()) item.set_attr("jid", occupant.user.bare_string());
  for (int code : statuses) add_status(x, code);
  return presence;
}

XmlElement removal_presence(const std::string& room_jid, const api::ParticipantRemoved& e,
                            model::RoomType type, const std::string& to, bool self) {
  XmlElement presence = presence_from(occupant_jid(room_jid, e.occupant.nickname), to);
  presence.set_attr("type", "unavailable");
  auto& x = presence.add_child("x", std::string(ns::kMucUser));
  auto& item = x.add_child("item");
  const auto position = muc_position(e.occupant.role, type);
  item.set_attr("affiliation", e.cause == api::RemovalCause::banned
                                   ? "outcast"
                                   : std::string(e.cause == api::RemovalCause::access_revoked
                                                     ? "none"
                                                     : position.affiliation));
  item.set_attr("role", "none");
  if (!e.occupant.user.empty()) item.set_attr("jid", e.occupant.user.bare_string());
  if (!e.by.empty()) item.add_child("actor").set_attr("jid", e.by.bare_string());
  if (!e.reason.empty()) item.add_child("reason").set_text(e.reason);
  if (self) add_status(x, kStatusSelf);
  switch (e.cause) {
    case api::RemovalCause::kicked:
      add_status(x, kStatusKicked);
      break;
    case api::RemovalCause::banned:
      add_status(x, kStatusBanned);
      break;
    case api::RemovalCause::access_revoked:
      add_status(x, kStatusAffiliationChange);
      break;
    case api::RemovalCause::room_deleted:
      add_status(x, kStatusShutdown);
      break;
  }
  return presence;
}

XmlElement destroyed_presence(const std::string& room_jid, const std::string& nickname,
                              const std::string& reason, const std::string& to) {
  XmlElement presence = presence_from(occupant_jid(room_jid, nickname), to);
  presence.set_attr("type", "unavailable");
  auto& x = presence.add_child("x", std::string(ns::kMucUser));
  x.add_child("item").set_attr("affiliation", "none").set_attr("role", "none");
  auto& destroy = x.add_child("destroy");
  if (!reason.empty()) destroy.add_child("reason").set_text(reason);
  add_status(x, kStatusSelf);
  return presence;
}

XmlElement groupchat_message(const std::string& room_jid, const model::RoomMessage& message) {
  XmlElement stanza("message", std::string(ns::kClient));
  stanza.set_attr("from", occupant_jid(room_jid, message.nickname));
  stanza.set_attr("type", "groupchat");
  if (!message.origin_id.empty()) stanza.set_attr("id", message.origin_id);
  stanza.add_child("body").set_text(message.body);
  // XEP-0359 §3: the room's own id for the message, which is also its MAM archive id.
  stanza.add_child("stanza-id", std::string(ns::kStanzaId))
      .set_attr("id", message.id)
      .set_attr("by", room_jid);
  if (!message.origin_id.empty()) {
    stanza.add_child("origin-id", std::string(ns::kStanzaId)).set_attr("id", message.origin_id);
  }
  return stanza;
}

XmlElement history_message(const std::string& room_jid, const model::RoomMessage& message,
                           const std::string& to) {
  XmlElement stanza = groupchat_message(room_jid, message);
  stanza.set_attr("to", to);
  // XEP-0045 §7.2.15 / XEP-0203: history is delayed, stamped by the room.
  stanza.add_child("delay", std::string(ns::kDelay))
      .set_attr("from", room_jid)
      .set_attr("stamp", mapping::xmpp::format_datetime(message.stamp));
  return stanza;
}

XmlElement subject_message(const std::string& from, const std::string& subject,
                           const std::string& to) {
  XmlElement stanza("message", std::string(ns::kClient));
  stanza.set_attr("from", from);
  if (!to.empty()) stanza.set_attr("to", to);
  stanza.set_attr("type", "groupchat");
  stanza.add_child("subject").set_text(subject);
  return stanza;
}

XmlElement status_message(const std::string& room_jid, int code, const std::string& to) {
  XmlElement stanza("message", std::string(ns::kClient));
  stanza.set_attr("from", room_jid);
  if (!to.empty()) stanza.set_attr("to", to);
  stanza.set_attr("type", "groupchat");
  add_status(stanza.add_child("x", std::string(ns::kMucUser)), code);
  return stanza;
}

XmlElement invite_message(const std::string& room_jid, const model::Invitation& invitation,
                          const std::string& to) {
  XmlElement stanza("message", std::string(ns::kClient));
  stanza.set_attr("from", room_jid);
  if (!to.empty()) stanza.set_attr("to", to);
  auto& x = stanza.add_child("x", std::string(ns::kMucUser));
  auto& invite = x.add_child("invite");
  invite.set_attr("from", invitation.from.bare_string());
  if (!invitation.reason.empty()) invite.add_child("reason").set_text(invitation.reason);
  return stanza;
}

HistoryParams parse_history(const XmlElement* muc_x, model::Timestamp now) {
  HistoryParams params;
  const XmlElement* history = muc_x ? muc_x->child("history", ns::kMuc) : nullptr;
  if (!history) return params;
  params.request.max_messages = parse_count(history->attr("maxstanzas"));
  params.max_chars = parse_count(history->attr("maxchars"));
  if (params.max_chars && *params.max_chars == 0) params.request.max_messages = 0;  // §7.2.15
  if (auto seconds = parse_count(history->attr("seconds"))) {
    params.request.since = now - std::chrono::seconds(*seconds);
  }
  if (auto since = history->attr("since")) {
    if (auto stamp = mapping::xmpp::parse_datetime(*since)) {
      // Both given: the later bound wins (both limits apply).
      if (!params.request.since || *stamp > *params.request.since) params.request.since = stamp;
    }
  }
  return params;
}

std::size_t history_start_for_chars(const std::vector<XmlElement>& stanzas, std::size_t max_chars) {
  std::size_t used = 0;
  std::size_t start = stanzas.size();
  while (start > 0) {
    const std::size_t size = stanzas[start - 1].serialize(ns::kClient).size();
    if (used + size > max_chars) break;
    used += size;
    --start;
  }
  return start;
}

std::vector<InviteRequest> parse_invites(const XmlElement& message) {
  std::vector<InviteRequest> invites;
  const XmlElement* x = message.child("x", ns::kMucUser);
  if (!x) return invites;
  for (const auto* invite : x->children("invite", ns::kMucUser)) {
    invites.push_back({invite->attr_or("to"), invite->child_text("reason", ns::kMucUser)});
  }
  return invites;
}

}  // namespace parley::xmpp::muc
