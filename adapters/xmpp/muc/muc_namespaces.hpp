#pragma once
// XML namespaces and fixed names of the MUC component (XEP-0045 and its companions).
#include <string_view>

namespace parley::xmpp::muc::ns {

inline constexpr std::string_view kClient = "jabber:client";
inline constexpr std::string_view kMuc = "http://jabber.org/protocol/muc";             // §7.2
inline constexpr std::string_view kMucUser = "http://jabber.org/protocol/muc#user";    // §7.2
inline constexpr std::string_view kMucAdmin = "http://jabber.org/protocol/muc#admin";  // §8, §9
inline constexpr std::string_view kMucOwner = "http://jabber.org/protocol/muc#owner";  // §10
inline constexpr std::string_view kRoomConfig = "http://jabber.org/protocol/muc#roomconfig";
inline constexpr std::string_view kRoomInfo = "http://jabber.org/protocol/muc#roominfo";
inline constexpr std::string_view kDiscoInfo = "http://jabber.org/protocol/disco#info";
inline constexpr std::string_view kDiscoItems = "http://jabber.org/protocol/disco#items";
inline constexpr std::string_view kSearch = "jabber:iq:search";         // XEP-0055
inline constexpr std::string_view kData = "jabber:x:data";              // XEP-0004
inline constexpr std::string_view kConference = "jabber:x:conference";  // XEP-0249
inline constexpr std::string_view kStanzaId = "urn:xmpp:sid:0";         // XEP-0359
inline constexpr std::string_view kDelay = "urn:xmpp:delay";            // XEP-0203
inline constexpr std::string_view kMam = "urn:xmpp:mam:2";              // XEP-0313
inline constexpr std::string_view kParleyCategory = "parley#category";  // our config field

}  // namespace parley::xmpp::muc::ns
