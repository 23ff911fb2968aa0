#include "mapping/xmpp/message_codec.hpp"

#include <string>

#include "mapping/xmpp/datetime.hpp"
#include "mapping/xmpp/error_codec.hpp"
#include "mapping/xmpp/namespaces.hpp"
#include "mapping/xmpp/stanza_fields.hpp"
#include "mapping/xmpp/stanza_writer.hpp"

namespace parley::mapping::xmpp {

model::Expected<model::Message, model::StanzaError> message_from_xml(const wire::XmlElement& stanza,
                                                                     MessageAddresses addresses) {
  using Result = model::Expected<model::Message, model::StanzaError>;
  model::Message message;
  if (addresses == MessageAddresses::parse) {
    auto from = address_attr(stanza, "from");
    if (!from) return Result::failure(from.error());
    auto to = address_attr(stanza, "to");
    if (!to) return Result::failure(to.error());
    message.from = std::move(from).value();
    message.to = std::move(to).value();
  }
  message.id = stanza.attr_or("id");
  // RFC 6121 §5.2.2: an absent or unknown type is handled as normal.
  message.type = model::message_type_from_name(stanza.attr_or("type", "normal"))
                     .value_or(model::MessageType::normal);
  message.lang = stanza.attr_or("xml:lang");

  bool have_body = false, have_subject = false, have_thread = false, have_error = false,
       have_delay = false;
  const std::string& client_ns = stanza.xmlns();
  for (const wire::XmlElement* child : stanza.element_children()) {
    const std::string& name = child->name();
    if (child->xmlns() == client_ns) {
      // RFC 6121 §5.2.3/§5.2.4: several bodies/subjects may differ by xml:lang; the model keeps
      // the default-language one, the others pass through.
      if (name == "body" && !have_body && in_default_lang(*child, message.lang)) {
        message.body = child->text();
        have_body = true;
        continue;
      }
      if (name == "subject" && !have_subject && in_default_lang(*child, message.lang)) {
        message.subject = child->text();
        have_subject = true;
        continue;
      }
      if (name == "thread" && !have_thread && child->attrs().empty()) {
        message.thread = child->text();  // with a 'parent' (§5.2.5) it passes through whole
        have_thread = true;
        continue;
      }
      if (name == "error" && !have_error) {
        message.error = error_from_xml(*child);
        have_error = true;
        continue;
      }
    } else if (name == "delay" && child->xmlns() == ns::kDelay && !have_delay) {
      if (auto stamp = parse_datetime(child->attr_or("stamp"))) {  // XEP-0203 §3
        message.stamp = *stamp;
        message.delayed = true;
        have_delay = true;
        continue;
      }
    } else if (name == "stanza-id" && child->xmlns() == ns::kStanzaId) {
      continue;  // XEP-0359 §3: a client cannot claim the server's stanza id
    }
    message.extensions.push_back(payload_of(*child));
  }
  return message;
}

wire::XmlElement message_to_xml(const model::Message& message, const MessageXmlOptions& options) {
  wire::XmlElement stanza("message", std::string(ns::kClient));
  set_address_attr(stanza, "from", message.from);
  set_address_attr(stanza, "to", message.to);
  if (!message.id.empty()) stanza.set_attr("id", message.id);
  if (message.type != model::MessageType::normal) {
    stanza.set_attr("type", std::string(model::message_type_name(message.type)));
  }
  if (!message.lang.empty()) stanza.set_attr("xml:lang", message.lang);

  if (!message.subject.empty()) stanza.add_child("subject").set_text(message.subject);
  if (!message.body.empty()) stanza.add_child("body").set_text(message.body);
  if (!message.thread.empty()) stanza.add_child("thread").set_text(message.thread);
  if (message.error) stanza.add_child(error_to_xml(*message.error));
  append_payloads(stanza, message.extensions);
  if (message.delayed) {
    // XEP-0203 §3: from = the entity that delayed it (our server), stamp in UTC.
    auto& delay = stanza.add_child("delay", std::string(ns::kDelay));
    std::string from = options.delay_from.empty() ? message.to.domain() : options.delay_from;
    if (!from.empty()) delay.set_attr("from", std::move(from));
    delay.set_attr("stamp", format_datetime(message.stamp));
  }
  if (!message.stanza_id.empty()) {
    // XEP-0359 §4: 'by' is the entity that assigned the id: the recipient's archive.
    auto& sid = stanza.add_child("stanza-id", std::string(ns::kStanzaId));
    sid.set_attr("id", message.stanza_id);
    if (!message.to.empty()) sid.set_attr("by", message.to.bare_string());
  }
  return stanza;
}

std::string message_to_wire(const model::Message& message, const MessageXmlOptions& options) {
  StanzaWriter writer("message", 128 + message.body.size() + message.subject.size());
  writer.address("from", message.from);
  writer.address("to", message.to);
  if (!message.id.empty()) writer.attribute("id", message.id);
  if (message.type != model::MessageType::normal) {
    writer.attribute("type", model::message_type_name(message.type));
  }
  if (!message.lang.empty()) writer.attribute("xml:lang", message.lang);

  if (!message.subject.empty()) writer.text_child("subject", message.subject);
  if (!message.body.empty()) writer.text_child("body", message.body);
  if (!message.thread.empty()) writer.text_child("thread", message.thread);
  if (message.error) writer.element_child(error_to_xml(*message.error));
  writer.payloads(message.extensions);
  if (message.delayed) {
    writer.start_empty_child("delay", ns::kDelay);
    const std::string& from = options.delay_from.empty() ? message.to.domain() : options.delay_from;
    if (!from.empty()) writer.attribute("from", from);
    writer.attribute("stamp", format_datetime(message.stamp));
    writer.end_empty_child();
  }
  if (!message.stanza_id.empty()) {
    writer.start_empty_child("stanza-id", ns::kStanzaId);
    writer.attribute("id", message.stanza_id);
    if (!message.to.empty()) writer.attribute("by", message.to.bare_string());
    writer.end_empty_child();
  }
  return writer.finish();
}

}  // namespace parley::mapping::xmpp
