#pragma once
// Stream errors (RFC 6120 §4.9): <stream:error><condition xmlns='..xmpp-streams'/>
// <text xmlns='..xmpp-streams'>..</text></stream:error>.
#include <optional>
#include <string>
#include <string_view>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"

namespace parley::mapping::xmpp {

namespace wire = ::parley::xmpp::wire;

// RFC 6120 §4.9.3, in that order.
enum class StreamErrorCondition {
  bad_format,
  bad_namespace_prefix,
  conflict,
  connection_timeout,
  host_gone,
  host_unknown,
  improper_addressing,
  internal_server_error,
  invalid_from,
  invalid_namespace,
  invalid_xml,
  not_authorized,
  not_well_formed,
  policy_violation,
  remote_connection_failed,
  reset,
  resource_constraint,
  restricted_xml,
  see_other_host,
  system_shutdown,
  undefined_condition,
  unsupported_encoding,
  unsupported_feature,
  unsupported_stanza_type,
  unsupported_version,
};

std::string_view stream_error_name(StreamErrorCondition condition);  // "not-well-formed", ...
std::optional<StreamErrorCondition> stream_error_from_name(std::string_view name);
StreamErrorCondition stream_error_for(wire::ParseError error);

// The element (namespace http://etherx.jabber.org/streams, local name "error"); XmlElement
// serializes elements of that namespace with the "stream:" prefix the stream header binds.
wire::XmlElement stream_error_to_xml(StreamErrorCondition condition, std::string_view text = {});
// The bytes to write before </stream:stream>, e.g.
// <stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>
std::string serialize_stream_error(StreamErrorCondition condition, std::string_view text = {});

}  // namespace parley::mapping::xmpp
