#pragma once
// XEP-0313 Message Archive Management (urn:xmpp:mam:2) with XEP-0059 result set paging and
// XEP-0004 query forms, for two archives: a user's 1:1 archive (iq to the user's own bare
// address or without 'to') and a room's archive (iq to room@conference-domain).
#include <string>

#include "adapters/xmpp/features/session_context.hpp"
#include "gateway/api/message_archive.hpp"
#include "gateway/api/rooms.hpp"

namespace parley::xmpp::mam {

// The user-archive IqHandler (registered in the FeatureRegistry under urn:xmpp:mam:2).
IqHandler make_user_archive_handler();
// A query on a room's archive; called by the MUC component for IQs in urn:xmpp:mam:2 addressed
// to a room. `room_address` is the room's bare address (results come 'from' it).
void handle_room_archive_query(SessionContext& session, const std::string& room_id,
                               const model::Address& room_address, const wire::XmlElement& iq);

}  // namespace parley::xmpp::mam
