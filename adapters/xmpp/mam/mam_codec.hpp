#pragma once
// The XML of XEP-0313 (urn:xmpp:mam:2) queries and results with XEP-0059 result set management
// and XEP-0004 forms: parsing a <query/> into a MamRequest, and building the form, each
// forwarded result message and the closing <fin/>. Pure functions, no session.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/expected.hpp"
#include "mapping/model/message.hpp"
#include "mapping/model/room_model.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::xmpp::mam {

inline constexpr std::string_view kMam = "urn:xmpp:mam:2";                  // XEP-0313
inline constexpr std::string_view kRsm = "http://jabber.org/protocol/rsm";  // XEP-0059
inline constexpr std::string_view kDataForms = "jabber:x:data";             // XEP-0004
inline constexpr std::string_view kForward = "urn:xmpp:forward:0";          // XEP-0297
inline constexpr std::string_view kDelay = "urn:xmpp:delay";                // XEP-0203

inline constexpr std::size_t kDefaultPageSize = 50;

struct MamRequest {
  std::string query_id;  // echoed in every <result queryid/>
  std::optional<model::Address> with;
  std::optional<model::Timestamp> start;
  std::optional<model::Timestamp> end;
  std::optional<std::string> after_id;
  std::optional<std::string> before_id;
  std::size_t max = kDefaultPageSize;
  // XEP-0059 §2.5: <before/> (empty or with an id) pages backwards from the end.
  model::HistoryOrder order = model::HistoryOrder::oldest_first;
};

// Parses <query xmlns='urn:xmpp:mam:2'> of an iq set. Errors: bad-request for a malformed
// form value, RSM max or a form of another FORM_TYPE; feature-not-implemented for a field we
// do not support (XEP-0313 §4.1.3 allows only advertised fields).
model::Expected<MamRequest, model::StanzaError> parse_query(const wire::XmlElement& query);

// XEP-0313 §4.1.1: the form advertised for an iq get: FORM_TYPE, with, start, end.
wire::XmlElement query_form();

// One archived message as <message to=..><result xmlns='urn:xmpp:mam:2' queryid id>
// <forwarded xmlns='urn:xmpp:forward:0'><delay stamp/>{inner}</forwarded></result></message>
// (XEP-0313 §4.2). `from` empty: omitted (the user's own archive).
wire::XmlElement result_message(const model::Address& to, const model::Address& from,
                                const std::string& query_id, const std::string& archive_id,
                                model::Timestamp stamp, wire::XmlElement inner);

// XEP-0313 §4.3: <fin xmlns='urn:xmpp:mam:2' complete><set xmlns=rsm><first/><last/></set>.
// Empty ids: an empty page (an empty <set/>).
wire::XmlElement fin(bool complete, const std::string& first_id, const std::string& last_id);

// The archived form of a room message: <message from='room@service/nick' type='groupchat'>.
wire::XmlElement room_message_xml(const model::RoomMessage& message,
                                  const model::Address& room_address);

}  // namespace parley::xmpp::mam
