#pragma once
// Message: a 1:1 (or room) message in the unified model (RFC 6121 §5 semantics).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "mapping/model/address.hpp"
#include "mapping/model/payload.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::model {

enum class MessageType { normal, chat, groupchat, headline, error };

using Timestamp = std::chrono::system_clock::time_point;

struct Message {
  std::string id;         // sender's id (may be empty)
  std::string stanza_id;  // server-assigned unique id (XEP-0359), set by the router
  Address from;           // full address of the sending endpoint
  Address to;             // bare or full
  MessageType type = MessageType::normal;
  std::string body;
  std::string subject;
  std::string thread;
  std::string lang;                  // xml:lang of the stanza, empty when absent
  Timestamp stamp{};                 // when the server accepted it; kept when stored offline
  bool delayed = false;              // true when delivered from offline storage (XEP-0203 delay)
  std::optional<StanzaError> error;  // for type == error
  std::vector<ForeignPayload> extensions;  // pass-through children
};

std::string_view message_type_name(MessageType type);  // "normal", "chat", ...
std::optional<MessageType> message_type_from_name(std::string_view name);

}  // namespace parley::model
