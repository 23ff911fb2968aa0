#include "adapters/xmpp/wire/shared_stanza.hpp"

#include <stdexcept>

namespace parley::xmpp::wire {

namespace {

// A value that attribute escaping leaves alone and that cannot occur in the escaped output
// before our own attribute: every earlier attribute value has its quotes escaped (&apos;), so
// the first " to='<sentinel>'" in the serialization is the one we set.
constexpr std::string_view kSentinel = "\x01\x02";

}  // namespace

std::string SharedStanza::assemble(std::string_view to_escaped) const {
  std::string out;
  out.reserve(head->size() + to_escaped.size() + tail->size());
  out.append(*head);
  out.append(to_escaped);
  out.append(*tail);
  return out;
}

SharedStanza make_shared_stanza(std::shared_ptr<const XmlElement> element,
                                std::string_view parent_ns) {
  XmlElement marked = *element;
  marked.set_attr("to", std::string(kSentinel));
  std::string bytes = marked.serialize(parent_ns);
  const std::string marker = " to='" + std::string(kSentinel) + "'";
  const auto at = bytes.find(marker);
  if (at == std::string::npos) throw std::logic_error("shared stanza: 'to' not found");
  const std::size_t value_at = at + marker.size() - kSentinel.size() - 1;
  SharedStanza shared;
  shared.element = std::move(element);
  shared.head = std::make_shared<const std::string>(bytes.substr(0, value_at));
  shared.tail = std::make_shared<const std::string>(bytes.substr(value_at + kSentinel.size()));
  return shared;
}

std::string escape_attribute(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  append_escaped(out, value, true);
  return out;
}

}  // namespace parley::xmpp::wire
