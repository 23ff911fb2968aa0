#pragma once
// XEP-0004 data forms of the MUC component: room configuration (XEP-0045 §10.2, §15.5.3), room
// info (§15.5.4) and room search (XEP-0055 §3), plus the disco#info features of a room (§6.4).
// Pure functions over model values and XML elements.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "gateway/api/rooms.hpp"
#include "mapping/model/expected.hpp"
#include "mapping/model/room_model.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::xmpp::muc {

// §10.2 the owner's configuration form, filled with the room's current values.
wire::XmlElement room_config_form(const model::Room& room,
                                  const std::vector<model::Category>& categories);
// A submitted configuration form (type 'submit') as the changes to apply; fields left out keep
// their value. bad-request for an unknown type value; not-acceptable for persistentroom=0.
model::Expected<api::RoomSettings, model::StanzaError> settings_from_config_form(
    const wire::XmlElement& form, const model::Room& current);

// §6.4 disco#info features of a room, and its muc#roominfo extension form.
std::vector<std::string_view> room_features(const model::Room& room);
wire::XmlElement room_info_form(const api::RoomInfo& info);

// XEP-0055 §3 extended search: the form (fields 'text' and 'category'), a submitted form as a
// RoomSearch, and the results as a result form (reported jid, name, description, category).
wire::XmlElement search_form(const std::vector<model::Category>& categories);
api::RoomSearch search_from_form(const wire::XmlElement& form);
wire::XmlElement search_results(const std::vector<std::shared_ptr<const model::Room>>& rooms,
                                const std::string& muc_domain);

// The value of field `var` in a form; empty when absent.
std::string form_value(const wire::XmlElement& form, std::string_view var);
bool form_has(const wire::XmlElement& form, std::string_view var);

}  // namespace parley::xmpp::muc
