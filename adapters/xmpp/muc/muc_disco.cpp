// Service discovery (XEP-0045 §6: XEP-0030 on the service and on rooms) and room search
// (XEP-0055 extended search with data forms).
#include "adapters/xmpp/muc/muc_forms.hpp"
#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "adapters/xmpp/muc/muc_stanzas.hpp"
#include "adapters/xmpp/muc/muc_util.hpp"

namespace parley::xmpp::muc::detail {
namespace {

using model::ErrorCondition;
using wire::XmlElement;
using RoomList = std::vector<std::shared_ptr<const model::Room>>;

XmlElement& query_of(XmlElement& result) {
  return *result.child("query");
}

void add_identity(XmlElement& query, const std::string& name) {
  query.add_child("identity")
      .set_attr("category", "conference")
      .set_attr("type", "text")
      .set_attr("name", name);
}

void add_feature(XmlElement& query, std::string_view var) {
  query.add_child("feature").set_attr("var", std::string(var));
}

// Runs `search` and posts the rooms (or the error reply) back to the session.
void search_rooms(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
                  api::RoomSearch search,
                  std::function<void(SessionContext&, const RoomList&)> reply) {
  session.rooms().search_rooms(
      actor_of(session), std::move(search),
      [self = participant.shared_from_this(), iq, reply](api::RoomsResult<RoomList> result) {
        self->post([iq, reply, result](SessionContext& s, MucParticipant&) {
          if (!result) return s.send_error(iq, result.error());
          reply(s, result.value());
        });
      });
}

}  // namespace

void service_disco_info(SessionContext& session, const XmlElement& iq) {
  XmlElement result = iq_result_query(iq, ns::kDiscoInfo);
  auto& query = query_of(result);
  add_identity(query, "Chat rooms");
  for (auto feature : {ns::kDiscoInfo, ns::kDiscoItems, ns::kMuc, ns::kSearch}) {
    add_feature(query, feature);
  }
  session.send(std::move(result));
}

void service_disco_items(SessionContext& session, MucParticipant& participant,
                         const XmlElement& iq) {
  // §6.3: the rooms the requester may see (secret rooms only for their members).
  search_rooms(session, participant, iq, api::RoomSearch{},
               [iq](SessionContext& s, const RoomList& rooms) {
                 XmlElement result = iq_result_query(iq, ns::kDiscoItems);
                 auto& query = query_of(result);
                 for (const auto& room : rooms) {
                   query.add_child("item")
                       .set_attr("jid", room_jid(room->id, s.muc_domain()))
                       .set_attr("name", room->name);
                 }
                 s.send(std::move(result));
               });
}

void service_search(SessionContext& session, MucParticipant& participant, const XmlElement& iq) {
  if (iq.attr_or("type") == "get") {
    // XEP-0055 §3.1: the search form.
    session.rooms().categories(
        [self = participant.shared_from_this(), iq](std::vector<model::Category> categories) {
          self->post([iq, categories](SessionContext& s, MucParticipant&) {
            XmlElement result = iq_result_query(iq, ns::kSearch);
            auto& query = query_of(result);
            query.add_child("instructions")
                .set_text("Find rooms by a part of their name, description or keywords.");
            query.add_child(search_form(categories));
            s.send(std::move(result));
          });
        });
    return;
  }
  const auto* query = iq.element_children().front();
  const auto* form = query->child("x", ns::kData);
  if (!form) {
    send_error(session, iq, ErrorCondition::bad_request, "submit the data form");
    return;
  }
  search_rooms(session, participant, iq, search_from_form(*form),
               [iq](SessionContext& s, const RoomList& rooms) {
                 XmlElement result = iq_result_query(iq, ns::kSearch);
                 query_of(result).add_child(search_results(rooms, s.muc_domain()));
                 s.send(std::move(result));
               });
}

void room_disco_info(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
                     const std::string& room) {
  session.rooms().room_info(
      actor_of(session), room,
      [self = participant.shared_from_this(), iq](api::RoomsResult<api::RoomInfo> info) {
        self->post([iq, info](SessionContext& s, MucParticipant&) {
          if (!info) return s.send_error(iq, info.error());  // item-not-found if secret
          // §6.4: identity, the room's features, and the muc#roominfo form.
          XmlElement result = iq_result_query(iq, ns::kDiscoInfo);
          auto& query = query_of(result);
          add_identity(query, info->room->name);
          add_feature(query, ns::kDiscoInfo);
          for (auto feature : room_features(*info->room)) add_feature(query, feature);
          query.add_child(room_info_form(info.value()));
          s.send(std::move(result));
        });
      });
}

void room_disco_items(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
                      const std::string& room) {
  // §6.5: occupants are listed to occupants; for anyone else an empty list.
  XmlElement result = iq_result_query(iq, ns::kDiscoItems);
  if (auto* joined = participant.find(room)) {
    auto& query = query_of(result);
    for (const auto& [nickname, occupant] : joined->occupants) {
      query.add_child("item")
          .set_attr("jid", occupant_jid(joined->room_jid, nickname))
          .set_attr("name", nickname);
    }
  }
  session.send(std::move(result));
}

}  // namespace parley::xmpp::muc::detail
