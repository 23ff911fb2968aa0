#include "gateway/storage/message_json.hpp"

#include <array>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

namespace parley::storage {
namespace {

using nlohmann::json;

constexpr int kFormatVersion = 1;

constexpr std::array<std::pair<model::Protocol, std::string_view>, 5> kProtocols{{
    {model::Protocol::xmpp, "xmpp"},
    {model::Protocol::sip, "sip"},
    {model::Protocol::websocket, "websocket"},
    {model::Protocol::irc, "irc"},
    {model::Protocol::webhook, "webhook"},
}};

std::string_view protocol_name(model::Protocol protocol) {
  for (const auto& [value, name] : kProtocols) {
    if (value == protocol) return name;
  }
  return "xmpp";
}

std::optional<model::Protocol> protocol_from_name(std::string_view text) {
  for (const auto& [value, name] : kProtocols) {
    if (name == text) return value;
  }
  return std::nullopt;
}

// Thrown inside message_from_json only, turned into its failure value.
struct FormatError {
  std::string what;
};

std::string string_field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (!it->is_string()) throw FormatError{std::string("field '") + key + "' is not a string"};
  return it->get<std::string>();
}

model::Address address_field(const json& object, const char* key) {
  std::string text = string_field(object, key);
  if (text.empty()) return {};
  auto address = model::Address::parse(text);
  if (!address) throw FormatError{std::string("field '") + key + "': " + address.error()};
  return std::move(address).value();
}

model::StanzaError error_from_json(const json& object) {
  if (!object.is_object()) throw FormatError{"field 'error' is not an object"};
  model::StanzaError error;
  auto type = model::error_type_from_name(string_field(object, "type"));
  auto condition = model::condition_from_name(string_field(object, "condition"));
  if (!type || !condition) throw FormatError{"unknown error type or condition"};
  error.type = *type;
  error.condition = *condition;
  error.text = string_field(object, "text");
  return error;
}

model::ForeignPayload payload_from_json(const json& object) {
  if (!object.is_object()) throw FormatError{"an extension is not an object"};
  model::ForeignPayload payload;
  auto origin = protocol_from_name(string_field(object, "origin"));
  if (!origin) throw FormatError{"unknown extension origin"};
  payload.origin = *origin;
  payload.ns = string_field(object, "ns");
  payload.name = string_field(object, "name");
  payload.data = string_field(object, "data");
  return payload;
}

}  // namespace

std::int64_t to_unix_micros(model::Timestamp stamp) {
  return std::chrono::duration_cast<std::chrono::microseconds>(stamp.time_since_epoch()).count();
}

model::Timestamp from_unix_micros(std::int64_t micros) {
  return model::Timestamp(
      std::chrono::duration_cast<model::Timestamp::duration>(std::chrono::microseconds(micros)));
}

std::string message_to_json(const model::Message& message) {
  json object = {
      {"v", kFormatVersion},
      {"id", message.id},
      {"stanza_id", message.stanza_id},
      {"from", message.from.empty() ? std::string() : message.from.to_string()},
      {"to", message.to.empty() ? std::string() : message.to.to_string()},
      {"type", model::message_type_name(message.type)},
      {"body", message.body},
      {"subject", message.subject},
      {"thread", message.thread},
      {"lang", message.lang},
      {"stamp_us", to_unix_micros(message.stamp)},
      {"delayed", message.delayed},
  };
  if (message.error) {
    object["error"] = {{"type", model::error_type_name(message.error->type)},
                       {"condition", model::condition_name(message.error->condition)},
                       {"text", message.error->text}};
  }
  json extensions = json::array();
  for (const model::ForeignPayload& payload : message.extensions) {
    extensions.push_back({{"origin", protocol_name(payload.origin)},
                          {"ns", payload.ns},
                          {"name", payload.name},
                          {"data", payload.data}});
  }
  object["extensions"] = std::move(extensions);
  // The model carries UTF-8; should a stray invalid byte get through an adapter, store the
  // message with U+FFFD rather than lose it to an exception.
  return object.dump(-1, ' ', false, json::error_handler_t::replace);
}

model::Expected<model::Message> message_from_json(std::string_view text) {
  using Result = model::Expected<model::Message>;
  json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object()) return Result::failure("not a JSON object");
  try {
    auto version = object.find("v");
    if (version == object.end() || !version->is_number_integer() ||
        version->get<int>() != kFormatVersion) {
      return Result::failure("unknown stored message format version");
    }
    model::Message message;
    message.id = string_field(object, "id");
    message.stanza_id = string_field(object, "stanza_id");
    message.from = address_field(object, "from");
    message.to = address_field(object, "to");
    auto type = model::message_type_from_name(string_field(object, "type"));
    if (!type) return Result::failure("unknown message type");
    message.type = *type;
    message.body = string_field(object, "body");
    message.subject = string_field(object, "subject");
    message.thread = string_field(object, "thread");
    message.lang = string_field(object, "lang");
    auto stamp = object.find("stamp_us");
    if (stamp == object.end() || !stamp->is_number_integer()) {
      return Result::failure("field 'stamp_us' is missing or not an integer");
    }
    message.stamp = from_unix_micros(stamp->get<std::int64_t>());
    auto delayed = object.find("delayed");
    message.delayed = delayed != object.end() && delayed->is_boolean() && delayed->get<bool>();
    if (auto error = object.find("error"); error != object.end()) {
      message.error = error_from_json(*error);
    }
    if (auto extensions = object.find("extensions"); extensions != object.end()) {
      if (!extensions->is_array()) return Result::failure("field 'extensions' is not an array");
      for (const json& payload : *extensions)
        message.extensions.push_back(payload_from_json(payload));
    }
    return message;
  } catch (const FormatError& e) {
    return Result::failure(e.what);
  } catch (const json::exception& e) {
    return Result::failure(e.what());
  }
}

}  // namespace parley::storage
