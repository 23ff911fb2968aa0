// The compliance event JSON codec (format in compliance_json.hpp and docs/compliance.md).
#include "gateway/core/compliance/compliance_json.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <utility>

namespace parley::core::compliance {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<model::Protocol, std::string_view>, 5> kProtocols{{
    {model::Protocol::xmpp, "xmpp"},
    {model::Protocol::sip, "sip"},
    {model::Protocol::websocket, "websocket"},
    {model::Protocol::irc, "irc"},
    {model::Protocol::webhook, "webhook"},
}};

std::optional<model::Protocol> protocol_from_name(std::string_view name) {
  for (const auto& [protocol, text] : kProtocols) {
    if (text == name) return protocol;
  }
  return std::nullopt;
}

// A string member, "" when absent; throws (caught by the caller) when of another type.
std::string string_member(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  return it->get<std::string>();
}

model::Expected<model::Address> address_member(const json& object, const char* key) {
  const std::string text = string_member(object, key);
  if (text.empty()) return model::Address{};
  auto parsed = model::Address::parse(text);
  if (!parsed) {
    return model::Expected<model::Address>::failure(std::string(key) + ": " + parsed.error());
  }
  return std::move(parsed).value();
}

std::tm utc_tm(model::Timestamp time, std::int64_t& micros_of_second) {
  const std::int64_t micros = to_micros(time);
  std::int64_t seconds = micros / 1000000;
  micros_of_second = micros % 1000000;
  if (micros_of_second < 0) {  // before 1970: floor, not truncate
    micros_of_second += 1000000;
    --seconds;
  }
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::int64_t to_micros(model::Timestamp time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

model::Timestamp from_micros(std::int64_t micros) {
  return model::Timestamp(
      std::chrono::duration_cast<model::Timestamp::duration>(std::chrono::microseconds(micros)));
}

std::string rfc3339(model::Timestamp time) {
  std::int64_t micros = 0;
  const std::tm tm = utc_tm(time, micros);
  std::array<char, 128> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buffer.data();
}

std::string compact_utc(model::Timestamp time) {
  std::int64_t micros = 0;
  const std::tm tm = utc_tm(time, micros);
  std::array<char, 128> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer.data();
}

std::string_view protocol_name(model::Protocol protocol) {
  for (const auto& [value, text] : kProtocols) {
    if (value == protocol) return text;
  }
  return "unknown";
}

json event_to_json_value(const api::ComplianceEvent& event) {
  json details = json::array();
  for (const auto& [name, value] : event.details) details.push_back(json::array({name, value}));
  return json{
      {"v", 1},
      {"id", event.id},
      {"kind", api::kind_name(event.kind)},
      {"time", rfc3339(event.time)},
      {"time_us", to_micros(event.time)},
      {"actor",
       {{"account", event.actor.account.bare_string()},
        {"protocol", protocol_name(event.actor.protocol)},
        {"endpoint", event.actor.endpoint}}},
      {"room", event.room},
      {"peer", event.peer.empty() ? std::string() : event.peer.to_string()},
      {"content", event.content},
      {"message_id", event.message_id},
      {"details", std::move(details)},
  };
}

std::string event_to_json(const api::ComplianceEvent& event) {
  // error_handler::replace: a body with invalid UTF-8 must not make the event unrecordable
  // (nlohmann throws on it by default); U+FFFD marks the bytes that were not text.
  return event_to_json_value(event).dump(-1, ' ', false, json::error_handler_t::replace);
}

model::Expected<api::ComplianceEvent> event_from_json_value(const json& value) {
  using Result = model::Expected<api::ComplianceEvent>;
  try {
    if (!value.is_object()) return Result::failure("compliance event: not a JSON object");
    api::ComplianceEvent event;
    event.id = string_member(value, "id");
    if (event.id.empty()) return Result::failure("compliance event: no id");
    const std::string kind = string_member(value, "kind");
    const auto parsed_kind = api::kind_from_name(kind);
    if (!parsed_kind) return Result::failure("compliance event: unknown kind '" + kind + "'");
    event.kind = *parsed_kind;
    event.time = from_micros(value.at("time_us").get<std::int64_t>());
    if (const auto actor = value.find("actor"); actor != value.end() && actor->is_object()) {
      auto account = address_member(*actor, "account");
      if (!account) return Result::failure("compliance event: actor." + account.error());
      event.actor.account = std::move(account).value();
      const std::string protocol = string_member(*actor, "protocol");
      if (!protocol.empty()) {
        const auto p = protocol_from_name(protocol);
        if (!p) return Result::failure("compliance event: unknown protocol '" + protocol + "'");
        event.actor.protocol = *p;
      }
      event.actor.endpoint = string_member(*actor, "endpoint");
    }
    event.room = string_member(value, "room");
    auto peer = address_member(value, "peer");
    if (!peer) return Result::failure("compliance event: " + peer.error());
    event.peer = std::move(peer).value();
    event.content = string_member(value, "content");
    event.message_id = string_member(value, "message_id");
    if (const auto details = value.find("details"); details != value.end()) {
      for (const auto& pair : *details) {
        if (!pair.is_array() || pair.size() != 2) {
          return Result::failure("compliance event: a detail is not a [name, value] pair");
        }
        event.details.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
      }
    }
    return event;
  } catch (const json::exception& e) {
    return Result::failure(std::string("compliance event: ") + e.what());
  }
}

model::Expected<api::ComplianceEvent> event_from_json(std::string_view text) {
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) {
    return model::Expected<api::ComplianceEvent>::failure("compliance event: malformed JSON");
  }
  return event_from_json_value(value);
}

}  // namespace parley::core::compliance
