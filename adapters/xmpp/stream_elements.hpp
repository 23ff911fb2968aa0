#pragma once
// The stream-level elements the session sends (RFC 6120 §4.3.2 features, §5 STARTTLS, §6 SASL,
// §7 bind; XEP-0198 stream management; XEP-0191 pushes), built as element trees. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "gateway/api/endpoint.hpp"

namespace parley::xmpp {

namespace xmlns {
inline constexpr std::string_view kClient = "jabber:client";
inline constexpr std::string_view kStreams = "http://etherx.jabber.org/streams";
inline constexpr std::string_view kTls = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr std::string_view kSasl = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr std::string_view kBind = "urn:ietf:params:xml:ns:xmpp-bind";
inline constexpr std::string_view kSession = "urn:ietf:params:xml:ns:xmpp-session";
inline constexpr std::string_view kStanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr std::string_view kSm = "urn:xmpp:sm:3";
inline constexpr std::string_view kRosterVer = "urn:xmpp:features:rosterver";
inline constexpr std::string_view kPreApproval = "urn:xmpp:features:pre-approval";
inline constexpr std::string_view kRegisterFeature = "http://jabber.org/features/iq-register";
inline constexpr std::string_view kBlocking = "urn:xmpp:blocking";
}  // namespace xmlns

// Where the stream stands when features are offered (RFC 6120 §4.3.2).
struct FeatureOffer {
  bool tls_active = false;
  bool starttls_possible = false;  // c2s listener before TLS
  bool require_starttls = true;
  bool authenticated = false;
  bool allow_plain = true;
  bool registration_enabled = false;
};

// <stream:features/>: before TLS (when required) only <starttls><required/></starttls>
// (RFC 6120 §5.3.1); before authentication the SASL mechanisms (PLAIN only over TLS) and the
// XEP-0077 registration feature; after SASL bind, session (optional), sm, rosterver and
// pre-approval.
wire::XmlElement make_stream_features(const FeatureOffer& offer);
// Mechanism names offered for the offer, strongest first.
std::vector<std::string> offered_mechanisms(const FeatureOffer& offer);

// An element in one namespace with no content, e.g. <proceed xmlns=tls/>.
wire::XmlElement make_empty(std::string_view name, std::string_view ns);
// RFC 6120 §6.4.5 <failure xmlns=sasl><condition/>[<text/>]</failure>.
wire::XmlElement make_sasl_failure(std::string_view condition, std::string_view text = {});
// <challenge/> / <success/> with base64 data ("=" for empty is only used in <auth/>; an
// empty payload is sent as an empty element, RFC 6120 §6.4.6).
wire::XmlElement make_sasl_data(std::string_view name, std::string_view raw_data);

// RFC 6120 §7.6.1 bind result.
wire::XmlElement make_bind_result(std::string_view iq_id, std::string_view full_jid);
// A result IQ with no payload (RFC 6120 §8.2.3), addressed back to the requester.
wire::XmlElement make_iq_result(const wire::XmlElement& request);

// XEP-0198 elements.
wire::XmlElement make_sm_enabled(std::string_view id, bool resume, std::uint32_t max_seconds);
wire::XmlElement make_sm_resumed(std::string_view previd, std::uint32_t h);
wire::XmlElement make_sm_failed(std::string_view condition, std::optional<std::uint32_t> h = {});
wire::XmlElement make_sm_ack(std::uint32_t h);
// Parses the 'h' attribute (decimal uint32); nullopt when missing or invalid.
std::optional<std::uint32_t> parse_sm_h(const wire::XmlElement& element);

// XEP-0191 §3.2/§3.3 block/unblock push: <iq type='set' id to><block|unblock><item/>...</iq>.
wire::XmlElement make_block_push(const api::BlockListPush& push, std::string_view to,
                                 std::string_view id);

}  // namespace parley::xmpp
