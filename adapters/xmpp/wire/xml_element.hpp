#pragma once
// XmlElement: the XMPP adapter's element tree. Names are local names; xmlns() is the resolved
// namespace URI of the element. Serialization escapes text and attribute values and writes
// xmlns only where it differs from the parent's namespace (never string-concatenated XML).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::xmpp::wire {

class XmlElement {
 public:
  struct Attribute {
    std::string name;  // e.g. "to", "xml:lang" (the xml: prefix is kept literally)
    std::string value;
  };

  XmlElement() = default;
  explicit XmlElement(std::string name, std::string xmlns = {});
  XmlElement(const XmlElement& other);
  XmlElement& operator=(const XmlElement& other);
  // Defined (defaulted) in the .cpp, where Node is complete.
  XmlElement(XmlElement&&) noexcept;
  XmlElement& operator=(XmlElement&&) noexcept;
  ~XmlElement();

  const std::string& name() const { return name_; }
  const std::string& xmlns() const { return xmlns_; }
  void set_xmlns(std::string ns) { xmlns_ = std::move(ns); }

  // ---- attributes (unqualified, or "xml:lang") ----
  std::optional<std::string_view> attr(std::string_view name) const;
  std::string attr_or(std::string_view name, std::string_view fallback = {}) const;
  XmlElement& set_attr(std::string_view name, std::string value);  // replaces
  void remove_attr(std::string_view name);
  const std::vector<Attribute>& attrs() const { return attrs_; }

  // ---- children, in document order: elements and text nodes ----
  // Appends a child element and returns a reference to it (valid until the next mutation).
  XmlElement& add_child(XmlElement child);
  XmlElement& add_child(std::string name, std::string xmlns = {});  // xmlns empty: parent's
  XmlElement& add_text(std::string_view text);
  // Replaces all text children with one text node.
  XmlElement& set_text(std::string text);
  // First child element with that name (and namespace, when given); nullptr if none.
  const XmlElement* child(std::string_view name, std::string_view xmlns = {}) const;
  XmlElement* child(std::string_view name, std::string_view xmlns = {});
  std::vector<const XmlElement*> children(std::string_view name = {},
                                          std::string_view xmlns = {}) const;  // empty: any
  std::vector<const XmlElement*> element_children() const;
  void remove_children(std::string_view name, std::string_view xmlns = {});
  // Concatenated text of direct text children.
  std::string text() const;
  // Text of the first matching child, or empty.
  std::string child_text(std::string_view name, std::string_view xmlns = {}) const;

  // ---- serialization ----
  // parent_ns: the namespace in scope; xmlns is emitted only when different. Elements in
  // http://etherx.jabber.org/streams are written as "stream:name" (the prefix our stream
  // header binds) and leave the default namespace of their children unchanged.
  std::string serialize(std::string_view parent_ns = {}) const;
  void serialize_to(std::string& out, std::string_view parent_ns = {}) const;

 private:
  struct Node;  // an element or a text node
  std::string name_;
  std::string xmlns_;
  std::vector<Attribute> attrs_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

// Escapes &, <, > (and " ' in attributes) for XML text / attribute values.
void append_escaped(std::string& out, std::string_view text, bool in_attribute);

}  // namespace parley::xmpp::wire
