#pragma once
// Internal to parley_mapping_sip: a small namespace-aware XML element tree for PIDF bodies.
// parse_xml() is restricted (expat; no DOCTYPE, entity declarations, comments are ignored,
// processing instructions refused) and capped in bytes and depth; write_xml() escapes every
// text and attribute value, so documents are never assembled by string concatenation.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/model/expected.hpp"

namespace parley::mapping::sip::detail {

struct XmlNode {
  std::string ns;                                               // namespace URI ("" for none)
  std::string name;                                             // local name
  std::vector<std::pair<std::string, std::string>> attributes;  // unqualified attributes only
  std::vector<XmlNode> children;
  std::string text;  // concatenated character data directly inside this element

  // Writing helpers: the namespace prefix is chosen by the writer from `prefixes`.
  XmlNode& add_child(std::string child_ns, std::string child_name);
  XmlNode& set_attribute(std::string attr, std::string value);
  // Reading helpers.
  const XmlNode* child(std::string_view child_ns, std::string_view child_name) const;
  std::vector<const XmlNode*> children_named(std::string_view child_ns,
                                             std::string_view child_name) const;
  const std::string* attribute(std::string_view attr) const;
};

struct XmlLimits {
  std::size_t max_bytes = 64 * 1024;
  std::size_t max_depth = 32;
};

model::Expected<XmlNode> parse_xml(std::string_view text, XmlLimits limits);

// Namespace URI -> prefix ("" = the default namespace), declared on the root element.
using PrefixMap = std::vector<std::pair<std::string, std::string>>;
// An XML declaration, then the tree.
std::string write_xml(const XmlNode& root, const PrefixMap& prefixes);

// Escapes &, <, > and both quotes.
std::string xml_escape(std::string_view text);

}  // namespace parley::mapping::sip::detail
