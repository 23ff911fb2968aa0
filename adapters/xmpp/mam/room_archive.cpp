// XEP-0313 §6 room archives (MUC archives): a query addressed to a room, answered from
// Rooms::history with the querying user as the actor; the rooms service decides who may read
// (forbidden, item-not-found pass through as IQ errors). Results come 'from' the room.
#include <utility>

#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/mam/mam_codec.hpp"
#include "adapters/xmpp/mam/mam_handlers.hpp"

namespace parley::xmpp::mam {
namespace {

using features::IqType;
using model::ErrorCondition;

void send_room_page(SessionContext& session, const wire::XmlElement& iq,
                    const model::Address& room_address, const std::string& query_id,
                    const api::HistoryPage& page) {
  const model::Address to = session.full_address();
  for (const auto& message : page.messages) {
    session.send(result_message(to, room_address, query_id, message->id, message->stamp,
                                room_message_xml(*message, room_address)));
  }
  wire::XmlElement result = features::make_result(session, iq);
  result.set_attr("from", room_address.to_string());
  result.add_child(fin(page.complete,
                       page.messages.empty() ? std::string() : page.messages.front()->id,
                       page.messages.empty() ? std::string() : page.messages.back()->id));
  session.send(std::move(result));
}

}  // namespace

void handle_room_archive_query(SessionContext& session, const std::string& room_id,
                               const model::Address& room_address, const wire::XmlElement& iq) {
  const wire::XmlElement* query = features::iq_payload(iq);
  const auto type = features::iq_type(iq);
  if (query == nullptr || query->name() != "query" || !type || session.user().empty()) {
    features::reply_error(session, iq, ErrorCondition::bad_request);
    return;
  }
  if (*type == IqType::get) {
    wire::XmlElement result = features::make_result(session, iq);
    result.set_attr("from", room_address.to_string());
    result.add_child(query_form());
    session.send(std::move(result));
    return;
  }
  auto request = parse_query(*query);
  if (!request) {
    session.send_error(iq, request.error());
    return;
  }
  if (request->with) {
    // The room archive is not indexed by occupant; say so rather than return everything.
    features::reply_error(session, iq, ErrorCondition::feature_not_implemented,
                          "'with' is not supported on room archives");
    return;
  }
  api::HistoryQuery history;
  history.room = room_id;
  history.after_id = request->after_id;
  history.before_id = request->before_id;
  history.since = request->start;
  history.until = request->end;
  history.limit = request->max;
  history.order = request->order;
  session.rooms().history(
      api::RoomActor{session.user().bare(), false,
                     api::RequestSource{model::Protocol::xmpp, session.full_address().to_string()}},
      std::move(history),
      [post = session.poster(), iq, room_address,
       query_id = request->query_id](api::RoomsResult<api::HistoryPage> page) mutable {
        post([iq = std::move(iq), room_address = std::move(room_address),
              query_id = std::move(query_id), page = std::move(page)](SessionContext& s) {
          if (!page) {
            s.send_error(iq, page.error());
            return;
          }
          send_room_page(s, iq, room_address, query_id, *page);
        });
      });
}

}  // namespace parley::xmpp::mam
