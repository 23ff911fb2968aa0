#include "adapters/xmpp/wire/xml_element.hpp"

#include <array>
#include <variant>

namespace parley::xmpp::wire {

namespace {

// Elements of the stream namespace are written with the prefix our stream header binds
// (RFC 6120 §4.8.1 / §4.8.5: "stream:" is the conventional prefix), e.g. <stream:error/>,
// <stream:features/>. They do not change the default namespace in scope for their children.
constexpr std::string_view kStreamNs = "http://etherx.jabber.org/streams";
constexpr std::string_view kStreamPrefix = "stream:";

bool name_matches(const XmlElement& e, std::string_view name, std::string_view xmlns) {
  return (name.empty() || e.name() == name) && (xmlns.empty() || e.xmlns() == xmlns);
}

}  // namespace

struct XmlElement::Node {
  std::variant<XmlElement, std::string> value;

  XmlElement* element() { return std::get_if<XmlElement>(&value); }
  const XmlElement* element() const { return std::get_if<XmlElement>(&value); }
  std::string* text() { return std::get_if<std::string>(&value); }
  const std::string* text() const { return std::get_if<std::string>(&value); }
};

XmlElement::XmlElement(std::string name, std::string xmlns)
    : name_(std::move(name)), xmlns_(std::move(xmlns)) {}

XmlElement::XmlElement(const XmlElement& other)
    : name_(other.name_), xmlns_(other.xmlns_), attrs_(other.attrs_) {
  nodes_.reserve(other.nodes_.size());
  for (const auto& node : other.nodes_) nodes_.push_back(std::make_unique<Node>(*node));
}

XmlElement& XmlElement::operator=(const XmlElement& other) {
  if (this != &other) {
    XmlElement copy(other);
    *this = std::move(copy);
  }
  return *this;
}

XmlElement::XmlElement(XmlElement&&) noexcept = default;
XmlElement& XmlElement::operator=(XmlElement&&) noexcept = default;
XmlElement::~XmlElement() = default;

std::optional<std::string_view> XmlElement::attr(std::string_view name) const {
  for (const auto& a : attrs_) {
    if (a.name == name) return std::string_view(a.value);
  }
  return std::nullopt;
}

std::string XmlElement::attr_or(std::string_view name, std::string_view fallback) const {
  return std::string(attr(name).value_or(fallback));
}

XmlElement& XmlElement::set_attr(std::string_view name, std::string value) {
  for (auto& a : attrs_) {
    if (a.name == name) {
      a.value = std::move(value);
      return *this;
    }
  }
  attrs_.push_back(Attribute{std::string(name), std::move(value)});
  return *this;
}

void XmlElement::remove_attr(std::string_view name) {
  std::erase_if(attrs_, [&](const Attribute& a) { return a.name == name; });
}

XmlElement& XmlElement::add_child(XmlElement child) {
  // Children added without a namespace belong to their parent's (header contract); their
  // descendants built the same way too, so lookups by namespace find them.
  auto inherit = [this](auto& self, XmlElement& e) -> void {
    if (!e.xmlns_.empty()) return;
    e.xmlns_ = xmlns_;
    for (auto& node : e.nodes_) {
      if (XmlElement* c = node->element()) self(self, *c);
    }
  };
  inherit(inherit, child);
  auto node = std::make_unique<Node>(Node{std::move(child)});
  nodes_.push_back(std::move(node));
  return *nodes_.back()->element();
}

XmlElement& XmlElement::add_child(std::string name, std::string xmlns) {
  return add_child(XmlElement(std::move(name), xmlns.empty() ? xmlns_ : std::move(xmlns)));
}

XmlElement& XmlElement::add_text(std::string_view text) {
  if (text.empty()) return *this;
  // Adjacent text is one node, however the parser happened to split it.
  if (!nodes_.empty()) {
    if (std::string* last = nodes_.back()->text()) {
      last->append(text);
      return *this;
    }
  }
  nodes_.push_back(std::make_unique<Node>(Node{std::string(text)}));
  return *this;
}

XmlElement& XmlElement::set_text(std::string text) {
  std::erase_if(nodes_, [](const std::unique_ptr<Node>& n) { return n->text() != nullptr; });
  if (!text.empty()) nodes_.push_back(std::make_unique<Node>(Node{std::move(text)}));
  return *this;
}

const XmlElement* XmlElement::child(std::string_view name, std::string_view xmlns) const {
  for (const auto& node : nodes_) {
    const XmlElement* e = node->element();
    if (e && name_matches(*e, name, xmlns)) return e;
  }
  return nullptr;
}

XmlElement* XmlElement::child(std::string_view name, std::string_view xmlns) {
  for (auto& node : nodes_) {
    XmlElement* e = node->element();
    if (e && name_matches(*e, name, xmlns)) return e;
  }
  return nullptr;
}

std::vector<const XmlElement*> XmlElement::children(std::string_view name,
                                                    std::string_view xmlns) const {
  std::vector<const XmlElement*> out;
  for (const auto& node : nodes_) {
    const XmlElement* e = node->element();
    if (e && name_matches(*e, name, xmlns)) out.push_back(e);
  }
  return out;
}

std::vector<const XmlElement*> XmlElement::element_children() const {
  return children();
}

void XmlElement::remove_children(std::string_view name, std::string_view xmlns) {
  std::erase_if(nodes_, [&](const std::unique_ptr<Node>& n) {
    const XmlElement* e = n->element();
    return e && name_matches(*e, name, xmlns);
  });
}

std::string XmlElement::text() const {
  std::string out;
  for (const auto& node : nodes_) {
    if (const std::string* t = node->text()) out.append(*t);
  }
  return out;
}

std::string XmlElement::child_text(std::string_view name, std::string_view xmlns) const {
  const XmlElement* c = child(name, xmlns);
  return c ? c->text() : std::string();
}

std::string XmlElement::serialize(std::string_view parent_ns) const {
  std::string out;
  // One allocation for a typical chat message instead of five or six while doubling.
  out.reserve(512);
  serialize_to(out, parent_ns);
  return out;
}

void XmlElement::serialize_to(std::string& out, std::string_view parent_ns) const {
  const bool stream_prefixed = xmlns_ == kStreamNs;
  // An empty namespace means "whatever is in scope" (elements built without one).
  std::string_view scope_ns = stream_prefixed || xmlns_.empty() ? parent_ns : xmlns_;
  out.push_back('<');
  if (stream_prefixed) out.append(kStreamPrefix);
  out.append(name_);
  if (!stream_prefixed && !xmlns_.empty() && xmlns_ != parent_ns) {
    out.append(" xmlns='");
    append_escaped(out, xmlns_, true);
    out.push_back('\'');
  }
  for (const auto& a : attrs_) {
    out.push_back(' ');
    out.append(a.name);
    out.append("='");
    append_escaped(out, a.value, true);
    out.push_back('\'');
  }
  if (nodes_.empty()) {
    out.append("/>");
    return;
  }
  out.push_back('>');
  for (const auto& node : nodes_) {
    if (const XmlElement* e = node->element()) {
      e->serialize_to(out, scope_ns);
    } else {
      append_escaped(out, *node->text(), false);
    }
  }
  out.append("</");
  if (stream_prefixed) out.append(kStreamPrefix);
  out.append(name_);
  out.push_back('>');
}

namespace {

// Which bytes append_escaped must replace: 1 in text and attributes, 2 in attributes only.
constexpr std::array<unsigned char, 256> kEscapeClass = [] {
  std::array<unsigned char, 256> table{};
  for (unsigned char c : {'&', '<', '>', '\r'}) table[c] = 1;  // '>': "]]>" never literal
  for (unsigned char c : {'\'', '"', '\t', '\n'}) table[c] = 2;
  return table;
}();

std::string_view entity_of(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '\'':
      return "&apos;";
    case '"':
      return "&quot;";
    // Attribute values are normalised by the reader (XML 1.0 §3.3.3): keep whitespace.
    case '\t':
      return "&#9;";
    case '\n':
      return "&#10;";
    default:
      return "&#13;";  // '\r': end-of-line handling would turn it into \n
  }
}

}  // namespace

void append_escaped(std::string& out, std::string_view text, bool in_attribute) {
  // A table lookup per byte and one append per clean run: this runs over every attribute and
  // text of every stanza written.
  const unsigned char limit = in_attribute ? 2 : 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char cls = kEscapeClass[static_cast<unsigned char>(text[i])];
    if (cls == 0 || cls > limit) continue;
    out.append(text.data() + start, i - start);
    out.append(entity_of(text[i]));
    start = i + 1;
  }
  out.append(text.data() + start, text.size() - start);
}

}  // namespace parley::xmpp::wire
