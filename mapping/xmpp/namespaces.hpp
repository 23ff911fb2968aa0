#pragma once
// XML namespaces of the XMPP stanzas and extensions the mapping layer understands.
#include <string_view>

namespace parley::mapping::xmpp::ns {

inline constexpr std::string_view kClient = "jabber:client";  // RFC 6120 §4.8.3
inline constexpr std::string_view kStreams = "http://etherx.jabber.org/streams";  // RFC 6120 §4.8.1
inline constexpr std::string_view kStanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";       // §8.3.2
inline constexpr std::string_view kStreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";  // §4.9.2
inline constexpr std::string_view kRoster = "jabber:iq:roster";     // RFC 6121 §2.1
inline constexpr std::string_view kDelay = "urn:xmpp:delay";        // XEP-0203
inline constexpr std::string_view kStanzaId = "urn:xmpp:sid:0";     // XEP-0359
inline constexpr std::string_view kCarbons = "urn:xmpp:carbons:2";  // XEP-0280
inline constexpr std::string_view kForward = "urn:xmpp:forward:0";  // XEP-0297
inline constexpr std::string_view kHints = "urn:xmpp:hints";        // XEP-0334

}  // namespace parley::mapping::xmpp::ns
