#include "mapping/xmpp/error_codec.hpp"

#include <string>

#include "mapping/xmpp/namespaces.hpp"

namespace parley::mapping::xmpp {

wire::XmlElement error_to_xml(const model::StanzaError& error) {
  wire::XmlElement element("error", std::string(ns::kClient));
  element.set_attr("type", std::string(model::error_type_name(error.type)));
  // RFC 6120 §8.3.2: exactly one condition, then an optional text, both in the stanzas ns.
  element.add_child(std::string(model::condition_name(error.condition)), std::string(ns::kStanzas));
  if (!error.text.empty()) {
    element.add_child("text", std::string(ns::kStanzas)).set_text(error.text);
  }
  return element;
}

model::StanzaError error_from_xml(const wire::XmlElement& error_element) {
  model::StanzaError error;
  bool have_condition = false;
  for (const wire::XmlElement* child : error_element.children({}, ns::kStanzas)) {
    if (child->name() == "text") {
      if (error.text.empty()) error.text = child->text();
      continue;
    }
    if (have_condition) continue;
    if (auto condition = model::condition_from_name(child->name())) {
      error.condition = *condition;
      have_condition = true;
    }
  }
  auto type = model::error_type_from_name(error_element.attr_or("type"));
  error.type = type ? *type : model::default_error_type(error.condition);
  return error;
}

std::optional<model::StanzaError> find_stanza_error(const wire::XmlElement& stanza) {
  const wire::XmlElement* element = stanza.child("error", stanza.xmlns());
  if (!element) return std::nullopt;
  return error_from_xml(*element);
}

wire::XmlElement make_error_reply(const wire::XmlElement& request,
                                  const model::StanzaError& error) {
  wire::XmlElement reply(request.name(), request.xmlns());
  if (auto from = request.attr("from")) reply.set_attr("to", std::string(*from));
  if (auto to = request.attr("to")) reply.set_attr("from", std::string(*to));
  if (auto id = request.attr("id")) reply.set_attr("id", std::string(*id));
  reply.set_attr("type", "error");
  if (auto lang = request.attr("xml:lang")) reply.set_attr("xml:lang", std::string(*lang));
  // RFC 6120 §8.3.1: message and presence errors carry the original payload so the sender
  // can tell which stanza failed; an IQ error need not (its id suffices).
  if (request.name() != "iq") {
    for (const wire::XmlElement* child : request.element_children()) {
      if (child->name() == "error" && child->xmlns() == request.xmlns()) continue;
      reply.add_child(*child);
    }
  }
  wire::XmlElement error_element = error_to_xml(error);
  error_element.set_xmlns(request.xmlns().empty() ? std::string(ns::kClient) : request.xmlns());
  reply.add_child(std::move(error_element));
  return reply;
}

bool may_reply_with_error(const wire::XmlElement& stanza) {
  return stanza.attr_or("type") != "error";
}

}  // namespace parley::mapping::xmpp
