#include "gateway/storage/rooms/room_codec.hpp"

#include <array>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

namespace parley::storage {
namespace {

using nlohmann::json;

// The same protocol names as message_json.cpp (offline messages), so both stored forms agree.
constexpr std::array<std::pair<model::Protocol, std::string_view>, 5> kProtocols{{
    {model::Protocol::xmpp, "xmpp"},
    {model::Protocol::sip, "sip"},
    {model::Protocol::websocket, "websocket"},
    {model::Protocol::irc, "irc"},
    {model::Protocol::webhook, "webhook"},
}};

std::string protocol_name(model::Protocol protocol) {
  for (const auto& [value, name] : kProtocols) {
    if (value == protocol) return std::string(name);
  }
  return "xmpp";
}

model::Protocol protocol_from_name(const std::string& text) {
  for (const auto& [value, name] : kProtocols) {
    if (name == text) return value;
  }
  throw std::runtime_error("room_messages: unknown extension origin '" + text + "'");
}

json parse_array(std::string_view text, const char* what) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_array()) throw std::runtime_error(std::string(what) + ": not a JSON array");
  return value;
}

}  // namespace

std::string keywords_to_json(const std::vector<std::string>& keywords) {
  return json(keywords).dump();
}

std::vector<std::string> keywords_from_json(std::string_view text) {
  std::vector<std::string> keywords;
  for (const json& item : parse_array(text, "rooms.keywords")) {
    if (!item.is_string()) throw std::runtime_error("rooms.keywords: not a string");
    keywords.push_back(item.get<std::string>());
  }
  return keywords;
}

std::string extensions_to_json(const std::vector<model::ForeignPayload>& extensions) {
  json array = json::array();
  for (const auto& payload : extensions) {
    array.push_back({{"origin", protocol_name(payload.origin)},
                     {"ns", payload.ns},
                     {"name", payload.name},
                     {"data", payload.data}});
  }
  return array.dump();
}

std::vector<model::ForeignPayload> extensions_from_json(std::string_view text) {
  std::vector<model::ForeignPayload> extensions;
  for (const json& item : parse_array(text, "room_messages.extensions")) {
    if (!item.is_object()) throw std::runtime_error("room_messages.extensions: not an object");
    model::ForeignPayload payload;
    payload.origin = protocol_from_name(item.value("origin", std::string()));
    payload.ns = item.value("ns", std::string());
    payload.name = item.value("name", std::string());
    payload.data = item.value("data", std::string());
    extensions.push_back(std::move(payload));
  }
  return extensions;
}

model::RoomType room_type_column(std::string_view name) {
  auto type = model::room_type_from_name(name);
  if (!type) throw std::runtime_error("rooms.type: unknown '" + std::string(name) + "'");
  return *type;
}

model::RoomPrivacy room_privacy_column(std::string_view name) {
  auto privacy = model::room_privacy_from_name(name);
  if (!privacy) throw std::runtime_error("rooms.privacy: unknown '" + std::string(name) + "'");
  return *privacy;
}

model::RoomRole room_role_column(std::string_view name) {
  auto role = model::room_role_from_name(name);
  if (!role) throw std::runtime_error("room_members.role: unknown '" + std::string(name) + "'");
  return *role;
}

model::Address address_column(std::string_view text) {
  if (text.empty()) return model::Address{};  // e.g. an invitation sent by the server itself
  auto address = model::Address::parse(text);
  if (!address) {
    throw std::runtime_error("stored address '" + std::string(text) + "': " + address.error());
  }
  return std::move(address).value();
}

std::string fts_query(const std::vector<std::string>& words) {
  std::string query;
  for (const std::string& phrase : words) {
    std::size_t start = 0;
    while (start < phrase.size()) {
      const std::size_t end = phrase.find_first_of(" \t\r\n", start);
      const std::size_t stop = end == std::string::npos ? phrase.size() : end;
      if (stop > start) {
        if (!query.empty()) query += ' ';
        query += '"';
        for (std::size_t i = start; i < stop; ++i) {
          if (phrase[i] == '"') query += '"';  // FTS5: "" inside a string is one quote
          query += phrase[i];
        }
        query += '"';
      }
      start = stop + 1;
    }
  }
  return query;
}

std::string like_substring(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

}  // namespace parley::storage
