#include "mapping/xmpp/stanza_fields.hpp"

#include <string>

#include "adapters/xmpp/wire/fragment_parser.hpp"

namespace parley::mapping::xmpp {

model::Expected<model::Address, model::StanzaError> address_attr(const wire::XmlElement& stanza,
                                                                 std::string_view name) {
  using Result = model::Expected<model::Address, model::StanzaError>;
  auto value = stanza.attr(name);
  if (!value) return model::Address{};
  auto address = model::Address::parse(*value);
  if (!address) {
    return Result::failure(model::StanzaError::make(
        model::ErrorCondition::jid_malformed,
        "invalid '" + std::string(name) + "' address: " + address.error()));
  }
  return std::move(address).value();
}

void set_address_attr(wire::XmlElement& stanza, std::string_view name,
                      const model::Address& address) {
  if (!address.empty()) stanza.set_attr(name, address.to_string());
}

bool in_default_lang(const wire::XmlElement& child, std::string_view stanza_lang) {
  auto lang = child.attr("xml:lang");
  return !lang || *lang == stanza_lang;
}

model::ForeignPayload payload_of(const wire::XmlElement& child) {
  return model::ForeignPayload{
      .origin = model::Protocol::xmpp,
      .ns = child.xmlns(),
      .name = child.name(),
      .data = child.serialize(),
      .written_by_us = true,
  };
}

void append_payloads(wire::XmlElement& stanza, const std::vector<model::ForeignPayload>& payloads) {
  for (const auto& payload : payloads) {
    if (payload.origin != model::Protocol::xmpp) continue;
    auto element = wire::parse_fragment(payload.data);
    if (element) stanza.add_child(std::move(element).value());
  }
}

}  // namespace parley::mapping::xmpp
