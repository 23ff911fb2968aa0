// XEP-0048 bookmarks synchronised with the followed-rooms list (bookmarks.hpp).
#include "adapters/xmpp/features/bookmarks.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/features/namespaces.hpp"
#include "adapters/xmpp/features/stored_xml.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/log/log.hpp"

namespace parley::xmpp::features {
namespace {

using model::ErrorCondition;

const std::string kStorageKey = "storage " + std::string(ns::kBookmarks);

// The room id of a conference jid on our MUC service, or nullopt (another service, a bad jid).
std::optional<std::string> room_of(const wire::XmlElement& conference,
                                   const std::string& muc_domain) {
  auto jid = model::Address::parse(conference.attr_or("jid"));
  if (!jid || jid->local().empty() || jid->is_full() || jid->domain() != muc_domain) {
    return std::nullopt;
  }
  return jid->local();
}

void answer(SessionContext& session, const wire::XmlElement& iq, wire::XmlElement storage) {
  wire::XmlElement result = make_result(session, iq);
  result.add_child("query", std::string(ns::kPrivate)).add_child(std::move(storage));
  session.send(std::move(result));
}

}  // namespace

std::vector<std::string> bookmarked_rooms(const wire::XmlElement& storage,
                                          const std::string& muc_domain) {
  std::set<std::string> rooms;
  for (const auto* conference : storage.children("conference", ns::kBookmarks)) {
    if (auto room = room_of(*conference, muc_domain)) rooms.insert(*room);
  }
  return {rooms.begin(), rooms.end()};
}

wire::XmlElement merge_bookmarks(const wire::XmlElement& stored,
                                 const std::vector<api::FollowedRoom>& followed,
                                 const std::string& muc_domain) {
  wire::XmlElement merged("storage", std::string(ns::kBookmarks));
  std::map<std::string, const wire::XmlElement*> stored_rooms;  // room id -> its conference
  for (const auto* child : stored.element_children()) {
    if (child->name() == "conference" && child->xmlns() == ns::kBookmarks) {
      if (auto room = room_of(*child, muc_domain)) {
        stored_rooms.emplace(*room, child);
        continue;  // the followed list decides which rooms of ours are bookmarked
      }
    }
    merged.add_child(*child);
  }
  for (const auto& entry : followed) {
    if (!entry.room) continue;
    auto jid = model::Address::from_parts(entry.room->id, muc_domain);
    if (!jid) continue;
    auto found = stored_rooms.find(entry.room->id);
    // Keep what the client stored with it (e.g. <nick/>, <password/>); name and autojoin
    // reflect the followed list (XEP-0048 §3.2: autojoin = join at login).
    wire::XmlElement conference = found != stored_rooms.end()
                                      ? *found->second
                                      : wire::XmlElement("conference", std::string(ns::kBookmarks));
    conference.set_attr("jid", jid->bare_string());
    if (!conference.attr("name") || conference.attr_or("name").empty()) {
      conference.set_attr("name", entry.room->name);
    }
    conference.set_attr("autojoin", "true");
    merged.add_child(std::move(conference));
  }
  return merged;
}

void get_bookmarks(SessionContext& session, const wire::XmlElement& iq) {
  const model::Address user = session.user().bare();
  api::run_on_store<std::optional<std::string>>(
      session.store(),
      [user](api::Stores& stores) { return stores.private_xml.get(user, kStorageKey); },
      [post = session.poster(), iq, user](std::optional<std::optional<std::string>> stored) {
        post([iq, user, stored = std::move(stored)](SessionContext& s) {
          if (!stored) {
            reply_error(s, iq, ErrorCondition::internal_server_error);
            return;
          }
          auto element = std::make_shared<wire::XmlElement>("storage", std::string(ns::kBookmarks));
          if (*stored) {
            auto parsed = parse_stored_element(**stored);
            if (parsed && parsed->name() == "storage" && parsed->xmlns() == ns::kBookmarks) {
              *element = std::move(*parsed);
            }
          }
          s.rooms().followed(
              user, [post = s.poster(), iq, element](std::vector<api::FollowedRoom> followed) {
                post([iq, element, followed = std::move(followed)](SessionContext& s2) {
                  answer(s2, iq, merge_bookmarks(*element, followed, s2.muc_domain()));
                });
              });
        });
      });
}

void set_bookmarks(SessionContext& session, const wire::XmlElement& iq,
                   const wire::XmlElement& storage) {
  std::string blob = storage.serialize();
  if (blob.size() > kMaxStoredElementBytes) {
    reply_error(session, iq, ErrorCondition::not_acceptable, "private data too large");
    return;
  }
  const model::Address user = session.user().bare();
  auto wanted = bookmarked_rooms(storage, session.muc_domain());
  api::run_on_store<bool>(
      session.store(),
      [user, blob = std::move(blob)](api::Stores& stores) {
        stores.private_xml.set(user, kStorageKey, blob);
        return true;
      },
      [post = session.poster(), iq, user, wanted = std::move(wanted)](std::optional<bool> ok) {
        post([iq, user, ok, wanted](SessionContext& s) {
          if (!ok) {
            reply_error(s, iq, ErrorCondition::internal_server_error);
            return;
          }
          s.rooms().followed(
              user, [post = s.poster(), iq, user, wanted](std::vector<api::FollowedRoom> followed) {
                post([iq, user, wanted, followed = std::move(followed)](SessionContext& s2) {
                  std::set<std::string> current;
                  for (const auto& f : followed) {
                    if (f.room) current.insert(f.room->id);
                  }
                  const std::set<std::string> target(wanted.begin(), wanted.end());
                  std::vector<std::pair<std::string, bool>> changes;  // room, follow?
                  for (const auto& room : target) {
                    if (!current.count(room)) changes.emplace_back(room, true);
                  }
                  for (const auto& room : current) {
                    if (!target.count(room)) changes.emplace_back(room, false);
                  }
                  if (changes.empty()) {
                    s2.send(make_result(s2, iq));
                    return;
                  }
                  // Answer once every change settled. A room that cannot be followed (unknown,
                  // forbidden) is logged and left out: the next get shows the followed list as it
                  // is, which is what the client should sync to.
                  auto left = std::make_shared<std::atomic<std::size_t>>(changes.size());
                  auto reply = [post = s2.poster(), iq, left](const std::string& room,
                                                              std::optional<model::StanzaError> e) {
                    if (e) {
                      PARLEY_LOG_WARN(
                          "xmpp", "", "bookmark_sync_failed",
                          {{"room", room},
                           {"condition", std::string(model::condition_name(e->condition))}});
                    }
                    if (left->fetch_sub(1) == 1) {
                      post([iq](SessionContext& s3) { s3.send(make_result(s3, iq)); });
                    }
                  };
                  const api::RoomActor actor{user, false};
                  for (const auto& [room, follow] : changes) {
                    auto done = [reply, room = room](std::optional<model::StanzaError> e) {
                      reply(room, std::move(e));
                    };
                    if (follow) {
                      s2.rooms().follow(actor, room, std::move(done));
                    } else {
                      s2.rooms().unfollow(actor, room, std::move(done));
                    }
                  }
                });
              });
        });
      });
}

}  // namespace parley::xmpp::features
