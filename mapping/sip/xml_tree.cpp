#include "mapping/sip/xml_tree.hpp"

#include <expat.h>

#include <memory>
#include <optional>

namespace parley::mapping::sip::detail {
namespace {

constexpr char kNsSeparator = '\x01';

// Splits expat's "uri\x01local" into (uri, local).
std::pair<std::string, std::string> split_name(const XML_Char* qualified) {
  std::string_view q(qualified);
  auto pos = q.find(kNsSeparator);
  if (pos == std::string_view::npos) return {std::string(), std::string(q)};
  return {std::string(q.substr(0, pos)), std::string(q.substr(pos + 1))};
}

class TreeBuilder {
 public:
  explicit TreeBuilder(XmlLimits limits) : limits_(limits) {}

  model::Expected<XmlNode> run(std::string_view text) {
    using Result = model::Expected<XmlNode>;
    if (text.size() > limits_.max_bytes) return Result::failure("document too large");
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(
        XML_ParserCreateNS("UTF-8", kNsSeparator), &XML_ParserFree);
    if (!parser) return Result::failure("out of memory");
    XML_Parser p = parser.get();
    parser_ = p;
    XML_SetUserData(p, this);
    XML_SetElementHandler(p, &TreeBuilder::on_start, &TreeBuilder::on_end);
    XML_SetCharacterDataHandler(p, &TreeBuilder::on_text);
    // Restricted XML: a body from the network never gets a DTD, entities or PIs.
    XML_SetProcessingInstructionHandler(p, &TreeBuilder::on_pi);
    XML_SetStartDoctypeDeclHandler(p, &TreeBuilder::on_doctype);
    XML_SetEntityDeclHandler(p, &TreeBuilder::on_entity_decl);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_Status status =
        XML_Parse(p, text.data(), static_cast<int>(text.size()), /*isFinal=*/XML_TRUE);
    if (error_) return Result::failure(*error_);
    if (status != XML_STATUS_OK) {
      return Result::failure(std::string("not well-formed XML: ") +
                             XML_ErrorString(XML_GetErrorCode(p)));
    }
    if (!root_) return Result::failure("no root element");
    return std::move(*root_);
  }

 private:
  static TreeBuilder& self(void* ud) { return *static_cast<TreeBuilder*>(ud); }

  void fail(std::string message) {
    if (error_) return;
    error_ = std::move(message);
    XML_StopParser(parser_, XML_FALSE);
  }

  static void XMLCALL on_start(void* ud, const XML_Char* name, const XML_Char** atts) {
    TreeBuilder& b = self(ud);
    if (b.error_) return;
    if (b.stack_.size() >= b.limits_.max_depth) return b.fail("document nested too deeply");
    XmlNode node;
    std::tie(node.ns, node.name) = split_name(name);
    for (const XML_Char** a = atts; a && *a; a += 2) {
      auto [ans, aname] = split_name(a[0]);
      if (ans.empty()) node.attributes.emplace_back(std::move(aname), a[1]);
    }
    if (b.stack_.empty()) {
      b.root_ = std::move(node);
      b.stack_.push_back(&*b.root_);
    } else {
      XmlNode* parent = b.stack_.back();
      parent->children.push_back(std::move(node));
      b.stack_.push_back(&parent->children.back());
    }
  }
  static void XMLCALL on_end(void* ud, const XML_Char* /*name*/) {
    TreeBuilder& b = self(ud);
    if (!b.error_ && !b.stack_.empty()) b.stack_.pop_back();
  }
  static void XMLCALL on_text(void* ud, const XML_Char* s, int len) {
    TreeBuilder& b = self(ud);
    if (!b.error_ && !b.stack_.empty()) b.stack_.back()->text.append(s, static_cast<size_t>(len));
  }
  static void XMLCALL on_pi(void* ud, const XML_Char*, const XML_Char*) {
    self(ud).fail("processing instructions are not allowed");
  }
  static void XMLCALL on_doctype(void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    self(ud).fail("DOCTYPE is not allowed");
  }
  static void XMLCALL on_entity_decl(void* ud, const XML_Char*, int, const XML_Char*, int,
                                     const XML_Char*, const XML_Char*, const XML_Char*,
                                     const XML_Char*) {
    self(ud).fail("entity declarations are not allowed");
  }

  XmlLimits limits_;
  XML_Parser parser_ = nullptr;
  std::optional<XmlNode> root_;
  // Pointers into root_: a child vector only grows at the back of the deepest open element,
  // and that element's own address is stable until it closes.
  std::vector<XmlNode*> stack_;
  std::optional<std::string> error_;
};

const std::string& prefix_for(const PrefixMap& prefixes, const std::string& ns) {
  static const std::string kNone;
  for (const auto& [uri, prefix] : prefixes) {
    if (uri == ns) return prefix;
  }
  return kNone;
}

void write_node(const XmlNode& node, const PrefixMap& prefixes, bool root, std::string& out) {
  const std::string& prefix = prefix_for(prefixes, node.ns);
  std::string qname = prefix.empty() ? node.name : prefix + ":" + node.name;
  out += '<';
  out += qname;
  if (root) {
    for (const auto& [uri, p] : prefixes) {
      out += p.empty() ? " xmlns=\"" : " xmlns:" + p + "=\"";
      out += xml_escape(uri);
      out += '"';
    }
  }
  for (const auto& [name, value] : node.attributes) {
    out += ' ';
    out += name;
    out += "=\"";
    out += xml_escape(value);
    out += '"';
  }
  if (node.children.empty() && node.text.empty()) {
    out += "/>";
    return;
  }
  out += '>';
  out += xml_escape(node.text);
  for (const XmlNode& child : node.children) write_node(child, prefixes, false, out);
  out += "</";
  out += qname;
  out += '>';
}

}  // namespace

XmlNode& XmlNode::add_child(std::string child_ns, std::string child_name) {
  XmlNode& c = children.emplace_back();
  c.ns = std::move(child_ns);
  c.name = std::move(child_name);
  return c;
}

XmlNode& XmlNode::set_attribute(std::string attr, std::string value) {
  for (auto& [n, v] : attributes) {
    if (n == attr) {
      v = std::move(value);
      return *this;
    }
  }
  attributes.emplace_back(std::move(attr), std::move(value));
  return *this;
}

const XmlNode* XmlNode::child(std::string_view child_ns, std::string_view child_name) const {
  for (const XmlNode& c : children) {
    if (c.ns == child_ns && c.name == child_name) return &c;
  }
  return nullptr;
}

std::vector<const XmlNode*> XmlNode::children_named(std::string_view child_ns,
                                                    std::string_view child_name) const {
  std::vector<const XmlNode*> out;
  for (const XmlNode& c : children) {
    if (c.ns == child_ns && c.name == child_name) out.push_back(&c);
  }
  return out;
}

const std::string* XmlNode::attribute(std::string_view attr) const {
  for (const auto& [n, v] : attributes) {
    if (n == attr) return &v;
  }
  return nullptr;
}

model::Expected<XmlNode> parse_xml(std::string_view text, XmlLimits limits) {
  return TreeBuilder(limits).run(text);
}

std::string write_xml(const XmlNode& root, const PrefixMap& prefixes) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  write_node(root, prefixes, true, out);
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 §2.2: C0 controls other than tab, LF and CR cannot appear at all.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

}  // namespace parley::mapping::sip::detail
