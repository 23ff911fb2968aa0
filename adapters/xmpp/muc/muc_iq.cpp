// MUC IQs: dispatch by target (the service, a room, an occupant) and payload namespace.
#include "adapters/xmpp/mam/mam_handlers.hpp"
#include "adapters/xmpp/muc/muc_component.hpp"
#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "adapters/xmpp/muc/muc_util.hpp"

namespace parley::xmpp::muc {

using model::ErrorCondition;

void handle_iq(SessionContext& session, MucParticipant& participant, const wire::XmlElement& iq,
               const model::Address& to) {
  const std::string type = iq.attr_or("type");
  if (type != "get" && type != "set") return;  // results and errors need no answer
  const auto children = iq.element_children();
  if (children.size() != 1) {
    detail::send_error(session, iq, ErrorCondition::bad_request, "one child expected");
    return;
  }
  const auto& payload_ns = children.front()->xmlns();
  const bool get = type == "get";
  if (to.local().empty()) {
    // The conference service itself (XEP-0045 §6.1, §6.3; XEP-0055).
    if (payload_ns == ns::kDiscoInfo && get) return detail::service_disco_info(session, iq);
    if (payload_ns == ns::kDiscoItems && get) {
      return detail::service_disco_items(session, participant, iq);
    }
    if (payload_ns == ns::kSearch) return detail::service_search(session, participant, iq);
  } else if (to.is_bare()) {
    const std::string room = to.local();
    if (payload_ns == ns::kDiscoInfo && get) {
      return detail::room_disco_info(session, participant, iq, room);
    }
    if (payload_ns == ns::kDiscoItems && get) {
      return detail::room_disco_items(session, participant, iq, room);
    }
    if (payload_ns == ns::kMucAdmin) return detail::room_admin(session, participant, iq, room);
    if (payload_ns == ns::kMucOwner) return detail::room_owner(session, participant, iq, room);
    if (payload_ns == ns::kMam) {
      // XEP-0313 §4: the room's archive; the MAM module answers.
      return mam::handle_room_archive_query(session, room, to, iq);
    }
  }
  // IQs to occupants (§7.7 vCard and pings through the room) are not relayed.
  detail::send_error(session, iq, ErrorCondition::service_unavailable);
}

}  // namespace parley::xmpp::muc
