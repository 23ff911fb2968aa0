#pragma once
// SharedStanza: a stanza serialized ONCE for many recipients that differ only in 'to' (the
// XEP-0045 §7.4 groupchat fan-out: every occupant gets the same message with its own full JID
// in 'to'). The bytes are split around the value of 'to', so a session writes
//   head + escaped(own full JID) + tail
// as a gather list without copying or re-serializing the shared parts.
#include <memory>
#include <string>
#include <string_view>

#include "adapters/xmpp/wire/xml_element.hpp"

namespace parley::xmpp::wire {

struct SharedStanza {
  // The element without 'to' (for code that needs the tree, e.g. test doubles).
  std::shared_ptr<const XmlElement> element;
  std::shared_ptr<const std::string> head;  // up to and including "to='"
  std::shared_ptr<const std::string> tail;  // from the closing quote of 'to' on

  // The complete stanza for one recipient; `to_escaped` is already attribute-escaped.
  std::string assemble(std::string_view to_escaped) const;
};

// Serializes `element` (which must not carry 'to') as if 'to' were set last, exactly like
// `XmlElement copy = element; copy.set_attr("to", x); copy.serialize(parent_ns)`.
SharedStanza make_shared_stanza(std::shared_ptr<const XmlElement> element,
                                std::string_view parent_ns);

// The attribute-escaped form of `value`, as serialize() writes it.
std::string escape_attribute(std::string_view value);

}  // namespace parley::xmpp::wire
