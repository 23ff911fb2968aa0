#include "adapters/xmpp/mam/mam_codec.hpp"

#include <charconv>
#include <utility>

#include "mapping/xmpp/datetime.hpp"
#include "mapping/xmpp/stanza_fields.hpp"

namespace parley::xmpp::mam {
namespace {

using model::ErrorCondition;
using model::StanzaError;
using Parsed = model::Expected<MamRequest, StanzaError>;

Parsed bad(ErrorCondition condition, std::string text) {
  return Parsed::failure(StanzaError::make(condition, std::move(text)));
}

std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t value = 0;
  if (text.empty() || text.size() > 9) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Applies one submitted form field (XEP-0004 §3.3) to the request; error text when invalid.
std::optional<StanzaError> apply_field(MamRequest& request, const wire::XmlElement& field) {
  const std::string var = field.attr_or("var");
  const std::string value = field.child_text("value");
  if (var == "FORM_TYPE") {
    if (value != kMam) {
      return StanzaError::make(ErrorCondition::bad_request, "unexpected FORM_TYPE");
    }
  } else if (var == "with") {
    auto address = model::Address::parse(value);
    if (!address) return StanzaError::make(ErrorCondition::bad_request, "invalid 'with'");
    request.with = std::move(address).value();
  } else if (var == "start" || var == "end") {
    // XEP-0082 DateTime.
    auto stamp = mapping::xmpp::parse_datetime(value);
    if (!stamp) return StanzaError::make(ErrorCondition::bad_request, "invalid '" + var + "'");
    (var == "start" ? request.start : request.end) = *stamp;
  } else {
    return StanzaError::make(ErrorCondition::feature_not_implemented,
                             "unsupported field '" + var + "'");
  }
  return std::nullopt;
}

}  // namespace

model::Expected<MamRequest, StanzaError> parse_query(const wire::XmlElement& query) {
  MamRequest request;
  request.query_id = query.attr_or("queryid");
  if (const auto* form = query.child("x", kDataForms)) {
    // XEP-0004 §3.2: a query carries a submitted form.
    const std::string type = form->attr_or("type", "submit");
    if (type != "submit") return bad(ErrorCondition::bad_request, "form type must be submit");
    for (const auto* field : form->children("field", kDataForms)) {
      if (auto error = apply_field(request, *field)) return Parsed::failure(std::move(*error));
    }
  }
  if (const auto* set = query.child("set", kRsm)) {
    if (const auto* max = set->child("max", kRsm)) {
      auto count = parse_count(max->text());
      if (!count) return bad(ErrorCondition::bad_request, "invalid RSM max");
      request.max = *count;
    }
    if (const auto* after = set->child("after", kRsm)) {
      if (after->text().empty()) return bad(ErrorCondition::bad_request, "empty RSM after");
      request.after_id = after->text();
    }
    if (const auto* before = set->child("before", kRsm)) {
      // XEP-0059 §2.5: an empty <before/> asks for the last page.
      request.order = model::HistoryOrder::newest_first;
      if (!before->text().empty()) request.before_id = before->text();
    }
    if (set->child("index", kRsm) != nullptr) {
      return bad(ErrorCondition::feature_not_implemented, "RSM index is not supported");
    }
  }
  if (request.start && request.end && *request.start > *request.end) {
    return bad(ErrorCondition::bad_request, "start is after end");
  }
  return request;
}

wire::XmlElement query_form() {
  wire::XmlElement query("query", std::string(kMam));
  auto& form = query.add_child("x", std::string(kDataForms));
  form.set_attr("type", "form");
  auto& form_type = form.add_child("field");
  form_type.set_attr("type", "hidden");
  form_type.set_attr("var", "FORM_TYPE");
  form_type.add_child("value").set_text(std::string(kMam));
  auto& with = form.add_child("field");
  with.set_attr("type", "jid-single");
  with.set_attr("var", "with");
  for (const char* var : {"start", "end"}) {
    auto& field = form.add_child("field");
    field.set_attr("type", "text-single");
    field.set_attr("var", var);
  }
  return query;
}

wire::XmlElement result_message(const model::Address& to, const model::Address& from,
                                const std::string& query_id, const std::string& archive_id,
                                model::Timestamp stamp, wire::XmlElement inner) {
  wire::XmlElement message("message", "jabber:client");
  if (!from.empty()) message.set_attr("from", from.to_string());
  message.set_attr("to", to.to_string());
  auto& result = message.add_child("result", std::string(kMam));
  if (!query_id.empty()) result.set_attr("queryid", query_id);
  result.set_attr("id", archive_id);
  auto& forwarded = result.add_child("forwarded", std::string(kForward));
  // XEP-0297 §3: the original time of the message, in UTC.
  forwarded.add_child("delay", std::string(kDelay))
      .set_attr("stamp", mapping::xmpp::format_datetime(stamp));
  forwarded.add_child(std::move(inner));
  return message;
}

wire::XmlElement fin(bool complete, const std::string& first_id, const std::string& last_id) {
  wire::XmlElement element("fin", std::string(kMam));
  element.set_attr("complete", complete ? "true" : "false");
  auto& set = element.add_child("set", std::string(kRsm));
  if (!first_id.empty()) set.add_child("first").set_text(first_id);
  if (!last_id.empty()) set.add_child("last").set_text(last_id);
  return element;
}

wire::XmlElement room_message_xml(const model::RoomMessage& message,
                                  const model::Address& room_address) {
  wire::XmlElement stanza("message", "jabber:client");
  auto occupant = room_address.with_resource(message.nickname);
  stanza.set_attr("from", occupant ? occupant->to_string() : room_address.to_string());
  stanza.set_attr("type", "groupchat");
  if (!message.origin_id.empty()) stanza.set_attr("id", message.origin_id);
  stanza.add_child("body").set_text(message.body);
  mapping::xmpp::append_payloads(stanza, message.extensions);
  return stanza;
}

}  // namespace parley::xmpp::mam
