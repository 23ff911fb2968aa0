#pragma once
// Presence in the unified model (RFC 6121 §4 availability and §3 subscription stanzas).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mapping/model/address.hpp"
#include "mapping/model/payload.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::model {

enum class PresenceType {
  available,  // no type attribute on the wire
  unavailable,
  subscribe,
  subscribed,
  unsubscribe,
  unsubscribed,
  probe,
  error,
};

enum class Show { online, away, chat, dnd, xa };  // online = no <show/>

struct Presence {
  std::string id;
  Address from;
  Address to;  // empty for broadcast presence
  PresenceType type = PresenceType::available;
  Show show = Show::online;
  std::string status;
  std::int8_t priority = 0;  // RFC 6121 §4.7.2.3: -128..127
  std::string lang;
  std::optional<StanzaError> error;
  std::vector<ForeignPayload> extensions;  // e.g. XEP-0115 caps, passed through

  bool is_subscription() const {
    return type == PresenceType::subscribe || type == PresenceType::subscribed ||
           type == PresenceType::unsubscribe || type == PresenceType::unsubscribed;
  }
};

std::string_view presence_type_name(PresenceType type);  // "" for available
std::optional<PresenceType> presence_type_from_name(std::string_view name);
std::string_view show_name(Show show);  // "" for online
std::optional<Show> show_from_name(std::string_view name);

}  // namespace parley::model
