#include "gateway/app/ctl_room_commands.hpp"

#include <algorithm>
#include <chrono>

#include "mapping/model/address.hpp"

namespace parley::app {
namespace {

using nlohmann::json;

bool valid_room_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  const bool alnum_first = (id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9');
  return alnum_first && std::all_of(id.begin(), id.end(), allowed);
}

bool served(const model::Address& address, const std::vector<std::string>& domains) {
  return std::find(domains.begin(), domains.end(), address.domain()) != domains.end();
}

model::Expected<model::Address> user_address(const std::string& text,
                                             const std::vector<std::string>& domains) {
  using Result = model::Expected<model::Address>;
  auto address = model::Address::parse(text);
  if (!address || address->local().empty() || !address->is_bare()) {
    return Result::failure("invalid JID '" + text + "': expected user@domain");
  }
  if (!served(*address, domains)) {
    return Result::failure("domain " + address->domain() + " is not served here");
  }
  return address;
}

json room_json(const model::Room& room) {
  return {{"id", room.id},
          {"name", room.name},
          {"category", room.category},
          {"type", std::string(model::room_type_name(room.type))},
          {"privacy", std::string(model::room_privacy_name(room.privacy))},
          {"description", room.description}};
}

CtlOutput category_command(const CtlCommand& c, api::RoomStore& rooms,
                           const std::vector<std::string>& domains) {
  CtlOutput out;
  if (c.verb == CtlVerb::category_list) {
    out.data["categories"] = json::array();
    for (const auto& category : rooms.categories()) {
      json creators = json::array();
      std::string line = category.name;
      for (const auto& creator : category.creators) creators.push_back(creator.bare_string());
      out.data["categories"].push_back(
          {{"name", category.name}, {"description", category.description}, {"creators", creators}});
      if (!category.description.empty()) line += "  " + category.description;
      if (!category.creators.empty()) line += "  creators: " + creators.dump();
      out.text += (out.text.empty() ? "" : "\n") + line;
    }
    return out;
  }
  if (c.name.empty()) return ctl_failure("the category needs a name");
  if (c.verb == CtlVerb::category_remove) {
    if (!rooms.remove_category(c.name)) {
      return ctl_failure("category " + c.name + " does not exist or rooms still use it");
    }
    out.changed = true;
    out.text = "category " + c.name + " removed";
    return out;
  }
  model::Category category;
  category.name = c.name;
  category.description = c.description;
  for (const auto& text : c.creators) {
    // A bare user, or a served domain meaning every user of it.
    auto address = model::Address::parse(text);
    if (!address || !address->is_bare() || !served(*address, domains)) {
      return ctl_failure("invalid creator '" + text + "': expected user@domain or a served domain");
    }
    category.creators.push_back(*address);
  }
  for (const auto& existing : rooms.categories()) {
    if (existing.name != c.name) continue;
    // Keep the switches an existing category has; this command sets description and creators.
    category.invitations_allowed = existing.invitations_allowed;
    category.file_posts_allowed = existing.file_posts_allowed;
    category.retention = existing.retention;
  }
  rooms.put_category(category);
  out.changed = true;
  out.data["category"] = c.name;
  out.text = "category " + c.name + " saved";
  return out;
}

CtlOutput room_create(const CtlCommand& c, api::RoomStore& rooms,
                      const std::vector<std::string>& domains) {
  if (c.name.empty()) return ctl_failure("the room needs a name");
  if (c.category.empty()) return ctl_failure("room create: --category is required");
  const auto categories = rooms.categories();
  if (std::none_of(categories.begin(), categories.end(),
                   [&](const model::Category& k) { return k.name == c.category; })) {
    return ctl_failure("category " + c.category + " does not exist");
  }
  model::Room room;
  room.id = c.room_id.empty() ? room_id_from_name(c.name) : c.room_id;
  if (!valid_room_id(room.id)) {
    return ctl_failure("invalid room id '" + room.id + "': [a-z0-9][a-z0-9._-]*, at most 64 bytes");
  }
  room.name = c.name;
  room.description = c.description;
  room.category = c.category;
  room.created = std::chrono::system_clock::now();
  if (!c.type.empty()) {
    auto type = model::room_type_from_name(c.type);
    if (!type) return ctl_failure("invalid --type '" + c.type + "': normal or auditorium");
    room.type = *type;
  }
  if (!c.privacy.empty()) {
    auto privacy = model::room_privacy_from_name(c.privacy);
    if (!privacy)
      return ctl_failure("invalid --privacy '" + c.privacy + "': open, closed or secret");
    room.privacy = *privacy;
  }
  model::Address manager;
  if (!c.manager.empty()) {
    auto address = user_address(c.manager, domains);
    if (!address) return ctl_failure(address.error());
    manager = *address;
  }
  if (!rooms.create_room(room, manager)) {
    return ctl_failure("a room with the id " + room.id + " or the name " + room.name + " exists");
  }
  CtlOutput out;
  out.changed = true;
  out.data["room"] = room_json(room);
  out.text = "room " + room.id + " created";
  return out;
}

}  // namespace

std::string room_id_from_name(const std::string& name) {
  std::string id;
  bool dash = false;
  for (char ch : name) {
    char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && !id.empty()) id += '-';
      dash = false;
      id += c;
    } else {
      dash = true;
    }
    if (id.size() >= 64) break;
  }
  return id.substr(0, 64);
}

CtlOutput run_room_command(const CtlCommand& c, api::RoomStore& rooms,
                           const std::vector<std::string>& domains) {
  switch (c.verb) {
    case CtlVerb::category_add:
    case CtlVerb::category_remove:
    case CtlVerb::category_list:
      return category_command(c, rooms, domains);
    case CtlVerb::room_create:
      return room_create(c, rooms, domains);
    case CtlVerb::room_list: {
      CtlOutput out;
      out.data["rooms"] = json::array();
      for (const auto& room : rooms.rooms()) {
        out.data["rooms"].push_back(room_json(room));
        out.text += (out.text.empty() ? "" : "\n") + room.id + "  " + room.name + "  [" +
                    room.category + ", " + std::string(model::room_type_name(room.type)) + ", " +
                    std::string(model::room_privacy_name(room.privacy)) + "]";
      }
      return out;
    }
    case CtlVerb::room_delete: {
      if (!rooms.remove_room(c.room)) return ctl_failure("room " + c.room + " does not exist");
      CtlOutput out;
      out.changed = true;
      out.text = "room " + c.room + " deleted";
      return out;
    }
    case CtlVerb::room_role: {
      auto user = user_address(c.jid, domains);
      if (!user) return ctl_failure(user.error());
      auto role = model::room_role_from_name(c.role);
      if (!role)
        return ctl_failure("invalid role '" + c.role + "': none, member, presenter, manager");
      const auto all = rooms.rooms();
      if (std::none_of(all.begin(), all.end(),
                       [&](const model::Room& r) { return r.id == c.room; })) {
        return ctl_failure("room " + c.room + " does not exist");
      }
      rooms.set_role(c.room, model::RoomMember{*user, *role});
      CtlOutput out;
      out.changed = true;
      out.text = user->bare_string() + " is " + c.role + " in " + c.room;
      return out;
    }
    default:
      return ctl_failure("not a room command");
  }
}

}  // namespace parley::app
