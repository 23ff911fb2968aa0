#pragma once
// XEP-0048 bookmarks in XEP-0049 private storage (<storage xmlns='storage:bookmarks'/>), kept
// in sync with the server-side followed-rooms list (api::Rooms::followed): a get shows every
// followed room as an autojoin conference; a set follows and unfollows rooms of our MUC
// service to match the conferences it lists. Everything else in the element (URLs, rooms of
// other services, nicknames) is kept in private storage as sent.
#include <string>

#include "adapters/xmpp/features/session_context.hpp"

namespace parley::xmpp::features {

// The bookmarks element answered for a get: `stored` (may be empty) with its conferences of
// `muc_domain` replaced by one per followed room. Pure, for tests.
wire::XmlElement merge_bookmarks(const wire::XmlElement& stored,
                                 const std::vector<api::FollowedRoom>& followed,
                                 const std::string& muc_domain);
// The room ids of `muc_domain` that a bookmarks element lists as conferences.
std::vector<std::string> bookmarked_rooms(const wire::XmlElement& storage,
                                          const std::string& muc_domain);

// XEP-0402 PEP bookmarks (pep_bookmarks.cpp): the pubsub IqHandler for the own account's
// node urn:xmpp:bookmarks:1 - items, publish (follow) and retract (unfollow).
IqHandler make_pep_bookmarks_handler();

void get_bookmarks(SessionContext& session, const wire::XmlElement& iq);
void set_bookmarks(SessionContext& session, const wire::XmlElement& iq,
                   const wire::XmlElement& storage);

}  // namespace parley::xmpp::features
