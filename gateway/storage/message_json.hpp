#pragma once
// The stored form of a model Message (offline storage): a JSON object built with nlohmann, so
// the schema need not change when the model grows a field. Format, version "v": 1:
//   {"v":1, "id", "stanza_id", "from", "to", "type": "chat", "body", "subject", "thread", "lang",
//    "stamp_us": <microseconds since the epoch>, "delayed": bool,
//    "error": {"type": "cancel", "condition": "item-not-found", "text"}   (only when set),
//    "extensions": [{"origin": "xmpp", "ns", "name", "data"}]}
// Addresses in their string form, enums by their wire names.
#include <cstdint>
#include <string>
#include <string_view>

#include "mapping/model/expected.hpp"
#include "mapping/model/message.hpp"

namespace parley::storage {

std::string message_to_json(const model::Message& message);
// Fails on malformed JSON, unknown enum names or addresses that no longer parse.
model::Expected<model::Message> message_from_json(std::string_view json);

// Timestamps are kept with microsecond precision (finer parts are truncated).
std::int64_t to_unix_micros(model::Timestamp stamp);
model::Timestamp from_unix_micros(std::int64_t micros);

}  // namespace parley::storage
