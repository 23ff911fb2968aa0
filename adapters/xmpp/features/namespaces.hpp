#pragma once
// XML namespaces of the IQ features served by the XMPP adapter itself.
#include <string_view>

namespace parley::xmpp::features::ns {

inline constexpr std::string_view kClient = "jabber:client";
inline constexpr std::string_view kServer = "jabber:server";
inline constexpr std::string_view kRoster = "jabber:iq:roster";  // RFC 6121 §2
inline constexpr std::string_view kDiscoInfo = "http://jabber.org/protocol/disco#info";  // XEP-0030
inline constexpr std::string_view kDiscoItems =
    "http://jabber.org/protocol/disco#items";                                        // XEP-0030
inline constexpr std::string_view kRegister = "jabber:iq:register";                  // XEP-0077
inline constexpr std::string_view kVCard = "vcard-temp";                             // XEP-0054
inline constexpr std::string_view kBlocking = "urn:xmpp:blocking";                   // XEP-0191
inline constexpr std::string_view kPrivate = "jabber:iq:private";                    // XEP-0049
inline constexpr std::string_view kPing = "urn:xmpp:ping";                           // XEP-0199
inline constexpr std::string_view kCarbons = "urn:xmpp:carbons:2";                   // XEP-0280
inline constexpr std::string_view kVersion = "jabber:iq:version";                    // XEP-0092
inline constexpr std::string_view kSession = "urn:ietf:params:xml:ns:xmpp-session";  // RFC 3921 §3
inline constexpr std::string_view kOffline = "msgoffline";                           // XEP-0160
inline constexpr std::string_view kStanzaId = "urn:xmpp:sid:0";                      // XEP-0359
inline constexpr std::string_view kMam = "urn:xmpp:mam:2";                           // XEP-0313
inline constexpr std::string_view kBookmarks = "storage:bookmarks";                  // XEP-0048
inline constexpr std::string_view kPubsub = "http://jabber.org/protocol/pubsub";     // XEP-0060
inline constexpr std::string_view kBookmarks2 = "urn:xmpp:bookmarks:1";              // XEP-0402

}  // namespace parley::xmpp::features::ns
