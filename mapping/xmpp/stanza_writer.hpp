#pragma once
// StanzaWriter: one top-level stanza of a jabber:client stream written straight to bytes, for
// the delivery paths that run once per recipient (message_to_wire, presence_to_wire). The
// bytes are exactly what building the XmlElement and serializing it in jabber:client gives:
// XmlElement::serialize_to's rules (attributes in single quotes, wire::append_escaped, xmlns
// only where it differs from the parent's), which the codecs' tests check byte for byte.
#include <string>
#include <string_view>
#include <vector>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/payload.hpp"

namespace parley::mapping::xmpp {

namespace wire = ::parley::xmpp::wire;

class StanzaWriter {
 public:
  // Starts "<name"; `reserve`: the expected size.
  StanzaWriter(std::string_view name, std::size_t reserve);

  // Attributes: before the first child.
  void attribute(std::string_view name, std::string_view value);
  void address(std::string_view name, const model::Address& address);  // when set
  // Children.
  void text_child(std::string_view name, std::string_view text);  // <name>text</name>
  void element_child(const wire::XmlElement& child);
  // The XMPP payloads, in order (others are skipped). One our codec serialized
  // (ForeignPayload::written_by_us) is copied when that gives the same bytes; any other is
  // parsed again and dropped when it does not parse, as the element-tree path does.
  void payloads(const std::vector<model::ForeignPayload>& payloads);
  // An empty child in another namespace: start, attribute()s, end.
  void start_empty_child(std::string_view name, std::string_view xmlns);
  void end_empty_child();

  // "/>" or "</name>"; the bytes.
  std::string finish();

 private:
  void open_content();  // ends the start tag before the first child

  std::string name_;
  std::string out_;
  bool content_ = false;
};

}  // namespace parley::mapping::xmpp
