#include "adapters/xmpp/muc/muc_forms.hpp"

#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "adapters/xmpp/muc/muc_stanzas.hpp"

namespace parley::xmpp::muc {
namespace {

using model::ErrorCondition;
using model::StanzaError;
using wire::XmlElement;

XmlElement make_form(std::string_view type) {
  XmlElement x("x", std::string(ns::kData));
  x.set_attr("type", std::string(type));
  return x;
}

XmlElement& add_field(XmlElement& form, std::string_view var, std::string_view type,
                      std::string_view label = {}) {
  auto& field = form.add_child("field");
  field.set_attr("var", std::string(var));
  if (!type.empty()) field.set_attr("type", std::string(type));
  if (!label.empty()) field.set_attr("label", std::string(label));
  return field;
}

void add_value(XmlElement& field, std::string value) {
  field.add_child("value").set_text(std::move(value));
}

void add_form_type(XmlElement& form, std::string_view value) {
  add_value(add_field(form, "FORM_TYPE", "hidden"), std::string(value));
}

const XmlElement* find_field(const XmlElement& form, std::string_view var) {
  for (const auto* field : form.children("field", ns::kData)) {
    if (field->attr_or("var") == var) return field;
  }
  return nullptr;
}

// XEP-0004 §3.3 boolean: "1"/"true" or "0"/"false".
std::optional<bool> parse_bool(const std::string& value) {
  if (value == "1" || value == "true") return true;
  if (value == "0" || value == "false") return false;
  return std::nullopt;
}

void add_bool(XmlElement& form, std::string_view var, std::string_view label, bool value) {
  add_value(add_field(form, var, "boolean", label), value ? "1" : "0");
}

}  // namespace

std::string form_value(const XmlElement& form, std::string_view var) {
  const auto* field = find_field(form, var);
  return field ? field->child_text("value", ns::kData) : std::string();
}

bool form_has(const XmlElement& form, std::string_view var) {
  return find_field(form, var) != nullptr;
}

XmlElement room_config_form(const model::Room& room,
                            const std::vector<model::Category>& categories) {
  XmlElement form = make_form("form");
  form.add_child("title").set_text("Configuration of " + room.name);
  add_form_type(form, ns::kRoomConfig);
  add_value(add_field(form, "muc#roomconfig_roomname", "text-single", "Name"), room.name);
  add_value(add_field(form, "muc#roomconfig_roomdesc", "text-single", "Description"),
            room.description);
  // Fixed by the rooms policy: presenters and managers change the subject.
  add_bool(form, "muc#roomconfig_changesubject", "Occupants may change the subject", false);
  add_bool(form, "muc#roomconfig_publicroom", "Listed in the directory",
           room.privacy != model::RoomPrivacy::secret);
  add_bool(form, "muc#roomconfig_membersonly", "Members only",
           room.privacy != model::RoomPrivacy::open);
  add_bool(form, "muc#roomconfig_moderatedroom", "Only presenters speak (auditorium)",
           room.type == model::RoomType::auditorium);
  add_bool(form, "muc#roomconfig_persistentroom", "Persistent", true);
  auto& category = add_field(form, ns::kParleyCategory, "list-single", "Category");
  add_value(category, room.category);
  for (const auto& c : categories) {
    auto& option = category.add_child("option");
    option.set_attr("label", c.description.empty() ? c.name : c.description);
    add_value(option, c.name);
  }
  return form;
}

model::Expected<api::RoomSettings, StanzaError> settings_from_config_form(
    const XmlElement& form, const model::Room& current) {
  using Result = model::Expected<api::RoomSettings, StanzaError>;
  api::RoomSettings changes;
  auto boolean =
      [&form](std::string_view var) -> model::Expected<std::optional<bool>, StanzaError> {
    if (!form_has(form, var)) return std::optional<bool>{};
    auto value = parse_bool(form_value(form, var));
    if (!value) {
      return model::Expected<std::optional<bool>, StanzaError>::failure(
          StanzaError::make(ErrorCondition::bad_request, "not a boolean: " + std::string(var)));
    }
    return std::optional<bool>{*value};
  };
  if (form_has(form, "muc#roomconfig_roomname")) {
    changes.name = form_value(form, "muc#roomconfig_roomname");
  }
  if (form_has(form, "muc#roomconfig_roomdesc")) {
    changes.description = form_value(form, "muc#roomconfig_roomdesc");
  }
  if (form_has(form, ns::kParleyCategory)) changes.category = form_value(form, ns::kParleyCategory);
  auto is_public = boolean("muc#roomconfig_publicroom");
  auto members_only = boolean("muc#roomconfig_membersonly");
  auto moderated = boolean("muc#roomconfig_moderatedroom");
  auto persistent = boolean("muc#roomconfig_persistentroom");
  for (const auto* b : {&is_public, &members_only, &moderated, &persistent}) {
    if (!*b) return Result::failure(b->error());
  }
  if (*persistent && !**persistent) {
    return Result::failure(
        StanzaError::make(ErrorCondition::not_acceptable, "rooms are always persistent"));
  }
  if (*is_public || *members_only) {
    // secret = hidden; closed = public but members only; open = public and open.
    const bool now_public = is_public->value_or(current.privacy != model::RoomPrivacy::secret);
    const bool now_members = members_only->value_or(current.privacy != model::RoomPrivacy::open);
    changes.privacy = !now_public   ? model::RoomPrivacy::secret
                      : now_members ? model::RoomPrivacy::closed
                                    : model::RoomPrivacy::open;
  }
  if (*moderated) {
    changes.type = **moderated ? model::RoomType::auditorium : model::RoomType::normal;
  }
  return changes;
}

std::vector<std::string_view> room_features(const model::Room& room) {
  std::vector<std::string_view> features{ns::kMuc};
  features.push_back(room.privacy == model::RoomPrivacy::open ? "muc_open" : "muc_membersonly");
  features.push_back(room.privacy == model::RoomPrivacy::secret ? "muc_hidden" : "muc_public");
  features.push_back(room.type == model::RoomType::auditorium ? "muc_moderated"
                                                              : "muc_unmoderated");
  features.push_back("muc_persistent");
  features.push_back("muc_nonanonymous");
  features.push_back("muc_unsecured");
  features.push_back(ns::kMam);
  features.push_back(ns::kStanzaId);
  return features;
}

XmlElement room_info_form(const api::RoomInfo& info) {
  XmlElement form = make_form("result");
  add_form_type(form, ns::kRoomInfo);
  add_value(add_field(form, "muc#roominfo_description", "text-single", "Description"),
            info.room->description);
  add_value(add_field(form, "muc#roominfo_subject", "text-single", "Subject"), info.room->topic);
  add_value(add_field(form, "muc#roominfo_occupants", "text-single", "Occupants"),
            std::to_string(info.occupants));
  add_value(add_field(form, ns::kParleyCategory, "text-single", "Category"), info.room->category);
  return form;
}

XmlElement search_form(const std::vector<model::Category>& categories) {
  XmlElement form = make_form("form");
  form.add_child("title").set_text("Room search");
  add_form_type(form, ns::kSearch);
  add_field(form, "text", "text-single", "Name, description or keyword");
  auto& category = add_field(form, "category", "list-single", "Category");
  for (const auto& c : categories) {
    auto& option = category.add_child("option");
    option.set_attr("label", c.description.empty() ? c.name : c.description);
    add_value(option, c.name);
  }
  return form;
}

api::RoomSearch search_from_form(const XmlElement& form) {
  api::RoomSearch search;
  search.text = form_value(form, "text");
  if (auto category = form_value(form, "category"); !category.empty()) search.category = category;
  return search;
}

XmlElement search_results(const std::vector<std::shared_ptr<const model::Room>>& rooms,
                          const std::string& muc_domain) {
  XmlElement form = make_form("result");
  add_form_type(form, ns::kSearch);
  auto& reported = form.add_child("reported");
  add_field(reported, "jid", "jid-single", "Room");
  add_field(reported, "name", "text-single", "Name");
  add_field(reported, "description", "text-single", "Description");
  add_field(reported, "category", "text-single", "Category");
  for (const auto& room : rooms) {
    auto& item = form.add_child("item");
    add_value(add_field(item, "jid", {}), room_jid(room->id, muc_domain));
    add_value(add_field(item, "name", {}), room->name);
    add_value(add_field(item, "description", {}), room->description);
    add_value(add_field(item, "category", {}), room->category);
  }
  return form;
}

}  // namespace parley::xmpp::muc
