#include "mapping/xmpp/presence_codec.hpp"

#include <charconv>
#include <string>

#include "mapping/xmpp/error_codec.hpp"
#include "mapping/xmpp/namespaces.hpp"
#include "mapping/xmpp/stanza_fields.hpp"
#include "mapping/xmpp/stanza_writer.hpp"

namespace parley::mapping::xmpp {

namespace {

model::StanzaError bad_request(std::string text) {
  return model::StanzaError::make(model::ErrorCondition::bad_request, std::move(text));
}

std::string_view trim(std::string_view s) {
  const std::string_view ws = " \t\r\n";
  auto begin = s.find_first_not_of(ws);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(ws) - begin + 1);
}

// RFC 6121 §4.7.2.3: an xs:byte, -128..127.
std::optional<std::int8_t> parse_priority(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);  // xs:byte allows a '+'
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < -128 || value > 127) return std::nullopt;
  return static_cast<std::int8_t>(value);
}

}  // namespace

model::Expected<model::Presence, model::StanzaError> presence_from_xml(
    const wire::XmlElement& stanza) {
  using Result = model::Expected<model::Presence, model::StanzaError>;
  model::Presence presence;
  auto from = address_attr(stanza, "from");
  if (!from) return Result::failure(from.error());
  auto to = address_attr(stanza, "to");
  if (!to) return Result::failure(to.error());
  presence.from = std::move(from).value();
  presence.to = std::move(to).value();
  presence.id = stanza.attr_or("id");
  if (auto type = stanza.attr("type")) {
    auto parsed = type->empty() ? std::nullopt : model::presence_type_from_name(*type);
    if (!parsed)
      return Result::failure(bad_request("unknown presence type '" + std::string(*type) + "'"));
    presence.type = *parsed;
  }
  presence.lang = stanza.attr_or("xml:lang");

  bool have_show = false, have_status = false, have_priority = false, have_error = false;
  const std::string& client_ns = stanza.xmlns();
  for (const wire::XmlElement* child : stanza.element_children()) {
    const std::string& name = child->name();
    if (child->xmlns() == client_ns) {
      if (name == "show" && !have_show) {
        // RFC 6121 §4.7.2.1: one of away, chat, dnd, xa.
        std::string text = child->text();
        auto show = text.empty() ? std::nullopt : model::show_from_name(trim(text));
        if (!show || *show == model::Show::online) {
          return Result::failure(bad_request("unknown show value '" + text + "'"));
        }
        presence.show = *show;
        have_show = true;
        continue;
      }
      if (name == "status" && !have_status && in_default_lang(*child, presence.lang)) {
        presence.status = child->text();
        have_status = true;
        continue;
      }
      if (name == "priority" && !have_priority) {
        auto priority = parse_priority(child->text());
        if (!priority) {
          return Result::failure(bad_request("priority must be an integer in -128..127"));
        }
        presence.priority = *priority;
        have_priority = true;
        continue;
      }
      if (name == "error" && !have_error) {
        presence.error = error_from_xml(*child);
        have_error = true;
        continue;
      }
    }
    presence.extensions.push_back(payload_of(*child));
  }
  return presence;
}

wire::XmlElement presence_to_xml(const model::Presence& presence) {
  wire::XmlElement stanza("presence", std::string(ns::kClient));
  set_address_attr(stanza, "from", presence.from);
  set_address_attr(stanza, "to", presence.to);
  if (!presence.id.empty()) stanza.set_attr("id", presence.id);
  if (auto type = model::presence_type_name(presence.type); !type.empty()) {
    stanza.set_attr("type", std::string(type));
  }
  if (!presence.lang.empty()) stanza.set_attr("xml:lang", presence.lang);
  if (auto show = model::show_name(presence.show); !show.empty()) {
    stanza.add_child("show").set_text(std::string(show));
  }
  if (!presence.status.empty()) stanza.add_child("status").set_text(presence.status);
  if (presence.priority != 0) {
    stanza.add_child("priority").set_text(std::to_string(static_cast<int>(presence.priority)));
  }
  if (presence.error) stanza.add_child(error_to_xml(*presence.error));
  append_payloads(stanza, presence.extensions);
  return stanza;
}

std::string presence_to_wire(const model::Presence& presence) {
  StanzaWriter writer("presence", 160 + presence.status.size());
  writer.address("from", presence.from);
  writer.address("to", presence.to);
  if (!presence.id.empty()) writer.attribute("id", presence.id);
  if (auto type = model::presence_type_name(presence.type); !type.empty()) {
    writer.attribute("type", type);
  }
  if (!presence.lang.empty()) writer.attribute("xml:lang", presence.lang);
  if (auto show = model::show_name(presence.show); !show.empty()) writer.text_child("show", show);
  if (!presence.status.empty()) writer.text_child("status", presence.status);
  if (presence.priority != 0) {
    writer.text_child("priority", std::to_string(static_cast<int>(presence.priority)));
  }
  if (presence.error) writer.element_child(error_to_xml(*presence.error));
  writer.payloads(presence.extensions);
  return writer.finish();
}

}  // namespace parley::mapping::xmpp
