#pragma once
// Internal helpers shared by the MUC component's files.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "adapters/xmpp/features/session_context.hpp"
#include "adapters/xmpp/muc/muc_participant.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"
#include "gateway/api/rooms.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::xmpp::muc::detail {

// Where a request came from, for the compliance trail (issue 6): this session's full JID.
inline api::RequestSource source_of(const SessionContext& session) {
  return api::RequestSource{model::Protocol::xmpp, session.full_address().to_string()};
}

inline api::RoomActor actor_of(const SessionContext& session) {
  return api::RoomActor{session.user().bare(), false, source_of(session)};
}

// <iq type='result'/> for `iq` from the entity it was addressed to.
wire::XmlElement iq_result(const wire::XmlElement& iq);
// The result with one child <query xmlns=ns/>; returns the iq, the query is its only child.
wire::XmlElement iq_result_query(const wire::XmlElement& iq, std::string_view ns);

void send_error(SessionContext& session, const wire::XmlElement& stanza,
                model::ErrorCondition condition, std::string text = {});

// An ErrorCallback that posts the error reply for `stanza` to the session (nothing on success,
// or `on_success` on the strand).
api::ErrorCallback reply_on_error(MucParticipant& participant, wire::XmlElement stanza,
                                  std::function<void(SessionContext&)> on_success = {});

// ---- IQ handlers by target and namespace (muc_disco.cpp, muc_admin.cpp) ----
void service_disco_info(SessionContext& session, const wire::XmlElement& iq);
void service_disco_items(SessionContext& session, MucParticipant& participant,
                         const wire::XmlElement& iq);
void service_search(SessionContext& session, MucParticipant& participant,
                    const wire::XmlElement& iq);
void room_disco_info(SessionContext& session, MucParticipant& participant,
                     const wire::XmlElement& iq, const std::string& room);
void room_disco_items(SessionContext& session, MucParticipant& participant,
                      const wire::XmlElement& iq, const std::string& room);
void room_admin(SessionContext& session, MucParticipant& participant, const wire::XmlElement& iq,
                const std::string& room);
void room_owner(SessionContext& session, MucParticipant& participant, const wire::XmlElement& iq,
                const std::string& room);

}  // namespace parley::xmpp::muc::detail
