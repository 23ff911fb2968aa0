#pragma once
// Shared steps of the MUC scenarios (muc_*_test.cpp): join a room, post, configure, and
// matchers for the XEP-0045 stanzas. Header-only so that each scenario stays one file.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it::muc {

inline constexpr const char* kMuc = "http://jabber.org/protocol/muc";
inline constexpr const char* kMucUser = "http://jabber.org/protocol/muc#user";
inline constexpr const char* kMucAdmin = "http://jabber.org/protocol/muc#admin";
inline constexpr const char* kMucOwner = "http://jabber.org/protocol/muc#owner";
inline constexpr const char* kData = "jabber:x:data";
inline constexpr const char* kDiscoItems = "http://jabber.org/protocol/disco#items";
inline constexpr const char* kSearch = "jabber:iq:search";

inline std::string service(const ParleydProcess& daemon) {
  return "conference." + daemon.domain();
}
inline std::string room_jid(const ParleydProcess& daemon, const std::string& room) {
  return room + "@" + service(daemon);
}

inline bool has_status(const XmlNode& stanza, const std::string& code) {
  const XmlNode* x = stanza.child("x", kMucUser);
  if (!x) return false;
  for (const auto& child : x->children()) {
    if (child.name() == "status" && child.attr_or("code") == code) return true;
  }
  return false;
}

// Presence from `from` (a full occupant JID) of that type ("" = available).
inline Match occupant_presence(const std::string& from, const std::string& type = {}) {
  return [from, type](const XmlNode& n) {
    return n.name() == "presence" && n.attr_or("from") == from && n.attr_or("type") == type;
  };
}
inline Match self_presence(const std::string& occupant, const std::string& type = {}) {
  return [occupant, type](const XmlNode& n) {
    return n.name() == "presence" && n.attr_or("from") == occupant && n.attr_or("type") == type &&
           has_status(n, "110");
  };
}
inline Match presence_error_from(const std::string& from) {
  return [from](const XmlNode& n) {
    return n.name() == "presence" && n.attr_or("from") == from && n.attr_or("type") == "error";
  };
}
inline Match groupchat_with_body(const std::string& body) {
  return [body](const XmlNode& n) {
    return n.name() == "message" && n.attr_or("type") == "groupchat" &&
           n.child_text("body") == body;
  };
}
inline Match subject_from_room(const std::string& room) {
  return [room](const XmlNode& n) {
    return n.name() == "message" && bare_of(n.attr_or("from")) == room &&
           n.child("subject") != nullptr && n.child("body") == nullptr;
  };
}
inline Match message_error_from(const std::string& room) {
  return [room](const XmlNode& n) {
    return n.name() == "message" && n.attr_or("type") == "error" &&
           bare_of(n.attr_or("from")) == room;
  };
}

// <presence to=room/nick><x xmlns=muc><history maxstanzas/></x></presence> (XEP-0045 §7.2.2)
inline XmlNode join_presence(const std::string& room, const std::string& nick,
                             int maxstanzas = -1) {
  XmlNode x("x", kMuc);
  if (maxstanzas >= 0)
    x.append(XmlNode("history", kMuc).set("maxstanzas", std::to_string(maxstanzas)));
  XmlNode p("presence");
  p.set("to", room + "/" + nick).append(std::move(x));
  return p;
}

// Joins and waits for the self-presence (110) and the subject that ends the join sequence.
// Returns the self-presence.
inline XmlNode enter(StropheClient& client, const std::string& room, const std::string& nick,
                     int maxstanzas = -1) {
  client.send(join_presence(room, nick, maxstanzas));
  auto self = client.wait_for([&](const XmlNode& n) {
    return n.name() == "presence" && n.attr_or("from") == room + "/" + nick &&
           (has_status(n, "110") || n.attr_or("type") == "error");
  });
  if (!self)
    throw std::runtime_error("no self-presence joining " + room + ": " + client.dump_queue());
  if (self->attr_or("type") == "error") {
    throw std::runtime_error("join refused: " + self->to_string());
  }
  expect(client, subject_from_room(room), "the subject after joining " + room);
  return *self;
}

inline XmlNode groupchat(const std::string& room, const std::string& body,
                         const std::string& id = {}) {
  XmlNode m("message");
  m.set("to", room).set("type", "groupchat").append(XmlNode("body").set_text(body));
  if (!id.empty()) m.set("id", id);
  return m;
}

// An owner form submission (XEP-0045 §10.2) with these fields.
inline XmlNode configure(const std::string& room,
                         const std::vector<std::pair<std::string, std::string>>& fields) {
  XmlNode form("x", kData);
  form.set("type", "submit");
  form.append(
      XmlNode("field", kData)
          .set("var", "FORM_TYPE")
          .append(XmlNode("value", kData).set_text("http://jabber.org/protocol/muc#roomconfig")));
  for (const auto& [var, value] : fields) {
    form.append(
        XmlNode("field", kData).set("var", var).append(XmlNode("value", kData).set_text(value)));
  }
  XmlNode iq("iq");
  iq.set("type", "set").set("to", room).append(XmlNode("query", kMucOwner).append(std::move(form)));
  return iq;
}

inline void expect_result(const std::optional<XmlNode>& reply, const std::string& what) {
  if (!reply) throw std::runtime_error(what + ": no reply");
  if (reply->attr_or("type") != "result") {
    throw std::runtime_error(what + ": " + reply->to_string());
  }
}

}  // namespace parley::it::muc
