#include "mapping/xmpp/stream_error_codec.hpp"

#include <array>
#include <string>

#include "mapping/xmpp/namespaces.hpp"

namespace parley::mapping::xmpp {

namespace {

using C = StreamErrorCondition;

struct Row {
  C condition;
  std::string_view name;
};

// RFC 6120 §4.9.3.1 - §4.9.3.25.
constexpr std::array<Row, 25> kConditions = {{
    {C::bad_format, "bad-format"},
    {C::bad_namespace_prefix, "bad-namespace-prefix"},
    {C::conflict, "conflict"},
    {C::connection_timeout, "connection-timeout"},
    {C::host_gone, "host-gone"},
    {C::host_unknown, "host-unknown"},
    {C::improper_addressing, "improper-addressing"},
    {C::internal_server_error, "internal-server-error"},
    {C::invalid_from, "invalid-from"},
    {C::invalid_namespace, "invalid-namespace"},
    {C::invalid_xml, "invalid-xml"},
    {C::not_authorized, "not-authorized"},
    {C::not_well_formed, "not-well-formed"},
    {C::policy_violation, "policy-violation"},
    {C::remote_connection_failed, "remote-connection-failed"},
    {C::reset, "reset"},
    {C::resource_constraint, "resource-constraint"},
    {C::restricted_xml, "restricted-xml"},
    {C::see_other_host, "see-other-host"},
    {C::system_shutdown, "system-shutdown"},
    {C::undefined_condition, "undefined-condition"},
    {C::unsupported_encoding, "unsupported-encoding"},
    {C::unsupported_feature, "unsupported-feature"},
    {C::unsupported_stanza_type, "unsupported-stanza-type"},
    {C::unsupported_version, "unsupported-version"},
}};

}  // namespace

std::string_view stream_error_name(StreamErrorCondition condition) {
  for (const auto& row : kConditions) {
    if (row.condition == condition) return row.name;
  }
  return "undefined-condition";
}

std::optional<StreamErrorCondition> stream_error_from_name(std::string_view name) {
  for (const auto& row : kConditions) {
    if (row.name == name) return row.condition;
  }
  return std::nullopt;
}

StreamErrorCondition stream_error_for(wire::ParseError error) {
  switch (error) {
    case wire::ParseError::not_well_formed:
      return C::not_well_formed;
    case wire::ParseError::restricted_xml:
      return C::restricted_xml;
    case wire::ParseError::policy_violation:
      return C::policy_violation;
    case wire::ParseError::invalid_namespace:
      return C::invalid_namespace;
    case wire::ParseError::bad_format:
      return C::bad_format;
  }
  return C::undefined_condition;
}

wire::XmlElement stream_error_to_xml(StreamErrorCondition condition, std::string_view text) {
  wire::XmlElement element("error", std::string(ns::kStreams));
  element.add_child(std::string(stream_error_name(condition)), std::string(ns::kStreamErrors));
  if (!text.empty()) {
    element.add_child("text", std::string(ns::kStreamErrors)).set_text(std::string(text));
  }
  return element;
}

std::string serialize_stream_error(StreamErrorCondition condition, std::string_view text) {
  return stream_error_to_xml(condition, text).serialize();
}

}  // namespace parley::mapping::xmpp
