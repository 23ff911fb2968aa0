// XEP-0402 PEP native bookmarks, mapped onto the followed-rooms list like XEP-0048 bookmarks
// (bookmarks.hpp): the node urn:xmpp:bookmarks:1 on the user's own bare JID holds one item per
// followed room of our MUC service (item id = the room JID). Items retrieval, publish (=
// follow) and retract (= unfollow) are served; other PEP nodes are not (XEP-0060 §7.1.3.5
// feature-not-implemented), and so are bookmarks of rooms on other services.
#include <optional>
#include <string>
#include <utility>

#include "adapters/xmpp/features/bookmarks.hpp"
#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/features/namespaces.hpp"

namespace parley::xmpp::features {
namespace {

using model::ErrorCondition;

// The room id of an item id on our MUC service (XEP-0402 §3: the item id is the room JID).
std::optional<std::string> room_of_item(const std::string& item_id, const std::string& muc_domain) {
  auto jid = model::Address::parse(item_id);
  if (!jid || jid->local().empty() || jid->is_full() || jid->domain() != muc_domain) {
    return std::nullopt;
  }
  return jid->local();
}

// XEP-0402 §3.3: every followed room as an item with an autojoin conference.
void items(SessionContext& session, const wire::XmlElement& iq) {
  session.rooms().followed(session.user().bare(), [post = session.poster(),
                                                   iq](std::vector<api::FollowedRoom> followed) {
    post([iq, followed = std::move(followed)](SessionContext& s) {
      wire::XmlElement result = make_result(s, iq);
      auto& list = result.add_child("pubsub", std::string(ns::kPubsub)).add_child("items");
      list.set_attr("node", std::string(ns::kBookmarks2));
      for (const auto& entry : followed) {
        if (!entry.room) continue;
        auto jid = model::Address::from_parts(entry.room->id, s.muc_domain());
        if (!jid) continue;
        auto& item = list.add_child("item");
        item.set_attr("id", jid->bare_string());
        auto& conference = item.add_child("conference", std::string(ns::kBookmarks2));
        conference.set_attr("name", entry.room->name);
        conference.set_attr("autojoin", "true");
      }
      s.send(std::move(result));
    });
  });
}

// Publish follows the room, retract unfollows it; the reply echoes the item (XEP-0060 §7.1.2).
void change(SessionContext& session, const wire::XmlElement& iq, const std::string& item_id,
            bool follow) {
  auto room = room_of_item(item_id, session.muc_domain());
  if (!room) {
    reply_error(session, iq, ErrorCondition::feature_not_implemented,
                "bookmarks are kept for rooms of " + session.muc_domain() + " only");
    return;
  }
  auto done = [post = session.poster(), iq, item_id,
               follow](std::optional<model::StanzaError> error) {
    post([iq, item_id, follow, error = std::move(error)](SessionContext& s) {
      if (error) {
        s.send_error(iq, *error);
        return;
      }
      wire::XmlElement result = make_result(s, iq);
      if (follow) {
        auto& publish = result.add_child("pubsub", std::string(ns::kPubsub)).add_child("publish");
        publish.set_attr("node", std::string(ns::kBookmarks2));
        publish.add_child("item").set_attr("id", item_id);
      }
      s.send(std::move(result));
    });
  };
  const api::RoomActor actor{session.user().bare(), false};
  if (follow) {
    session.rooms().follow(actor, *room, std::move(done));
  } else {
    session.rooms().unfollow(actor, *room, std::move(done));
  }
}

}  // namespace

IqHandler make_pep_bookmarks_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const IqTarget target = classify_target(session, iq);
    // PEP: the user's own node only (XEP-0163 §1: the account is the pubsub service).
    if (!is_own_account(target) || session.user().empty()) {
      reply_target_error(session, iq, target, ErrorCondition::forbidden);
      return;
    }
    const wire::XmlElement* pubsub = iq_payload(iq);
    const auto type = iq_type(iq);
    if (pubsub == nullptr || pubsub->name() != "pubsub" || !type) {
      reply_error(session, iq, ErrorCondition::bad_request);
      return;
    }
    if (session.muc_domain().empty()) {
      reply_error(session, iq, ErrorCondition::feature_not_implemented);
      return;
    }
    if (*type == IqType::get) {
      const wire::XmlElement* request = pubsub->child("items", ns::kPubsub);
      if (request == nullptr || request->attr_or("node") != ns::kBookmarks2) {
        reply_error(session, iq, ErrorCondition::feature_not_implemented);
        return;
      }
      items(session, iq);
      return;
    }
    if (const wire::XmlElement* publish = pubsub->child("publish", ns::kPubsub)) {
      const wire::XmlElement* item = publish->child("item", ns::kPubsub);
      if (publish->attr_or("node") != ns::kBookmarks2) {
        reply_error(session, iq, ErrorCondition::feature_not_implemented);
        return;
      }
      if (item == nullptr || item->attr_or("id").empty() ||
          item->child("conference", ns::kBookmarks2) == nullptr) {
        reply_error(session, iq, ErrorCondition::bad_request);
        return;
      }
      change(session, iq, item->attr_or("id"), true);
      return;
    }
    if (const wire::XmlElement* retract = pubsub->child("retract", ns::kPubsub)) {
      const wire::XmlElement* item = retract->child("item", ns::kPubsub);
      if (retract->attr_or("node") != ns::kBookmarks2) {
        reply_error(session, iq, ErrorCondition::feature_not_implemented);
        return;
      }
      if (item == nullptr || item->attr_or("id").empty()) {
        reply_error(session, iq, ErrorCondition::bad_request);
        return;
      }
      change(session, iq, item->attr_or("id"), false);
      return;
    }
    reply_error(session, iq, ErrorCondition::feature_not_implemented);
  };
}

}  // namespace parley::xmpp::features
