#include "tests/integration/support/xml_node.hpp"

#include <expat.h>

namespace parley::it {
namespace {

constexpr char kNsSeparator = '\x01';
constexpr std::string_view kNsXml = "http://www.w3.org/XML/1998/namespace";

// expat reports "uri<sep>local" for namespaced names.
std::pair<std::string, std::string> split_name(std::string_view raw) {
  const auto sep = raw.find(kNsSeparator);
  if (sep == std::string_view::npos) return {std::string(), std::string(raw)};
  return {std::string(raw.substr(0, sep)), std::string(raw.substr(sep + 1))};
}

}  // namespace

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
        out += c;
    }
  }
  return out;
}

XmlNode& XmlNode::set(std::string key, std::string value) {
  for (auto& [k, v] : attrs_) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  attrs_.emplace_back(std::move(key), std::move(value));
  return *this;
}

XmlNode& XmlNode::append(XmlNode child) {
  children_.push_back(std::move(child));
  return *this;
}

XmlNode& XmlNode::set_text(std::string text) {
  text_ = std::move(text);
  return *this;
}

std::optional<std::string> XmlNode::attr(std::string_view key) const {
  for (const auto& [k, v] : attrs_) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::string XmlNode::attr_or(std::string_view key, std::string fallback) const {
  auto value = attr(key);
  return value ? *value : std::move(fallback);
}

const XmlNode* XmlNode::child(std::string_view name, std::string_view ns) const {
  for (const auto& c : children_) {
    if (c.name_ == name && (ns.empty() || c.ns_ == ns)) return &c;
  }
  return nullptr;
}

std::string XmlNode::child_text(std::string_view name, std::string_view ns) const {
  const XmlNode* c = child(name, ns);
  return c ? c->text_ : std::string();
}

std::string XmlNode::to_string(std::string_view inherited_ns) const {
  std::string out;
  write(out, inherited_ns);
  return out;
}

void XmlNode::write(std::string& out, std::string_view inherited_ns) const {
  out += '<';
  out += name_;
  if (!ns_.empty() && ns_ != inherited_ns) {
    out += " xmlns='";
    out += xml_escape(ns_);
    out += '\'';
  }
  for (const auto& [k, v] : attrs_) {
    out += ' ';
    out += k;
    out += "='";
    out += xml_escape(v);
    out += '\'';
  }
  if (children_.empty() && text_.empty()) {
    out += "/>";
    return;
  }
  out += '>';
  out += xml_escape(text_);
  const std::string_view scope = ns_.empty() ? inherited_ns : std::string_view(ns_);
  for (const auto& c : children_) c.write(out, scope);
  out += "</";
  out += name_;
  out += '>';
}

std::string stream_header(const StreamHeader& header) {
  std::string out = "<?xml version='1.0'?><stream:stream to='";
  out += xml_escape(header.to);
  out += "' version='";
  out += xml_escape(header.version);
  out += "' xml:lang='en' xmlns='";
  out += xml_escape(header.content_ns);
  out += "' xmlns:stream='";
  out += xml_escape(header.stream_ns);
  out += "'>";
  return out;
}

struct XmppStreamReader::Parser {
  XML_Parser handle = nullptr;
  ~Parser() {
    if (handle) XML_ParserFree(handle);
  }
};

XmppStreamReader::XmppStreamReader() {
  reset();
}
XmppStreamReader::~XmppStreamReader() = default;

void XmppStreamReader::reset() {
  parser_ = std::make_unique<Parser>();
  parser_->handle = XML_ParserCreateNS(nullptr, kNsSeparator);
  XML_SetUserData(parser_->handle, this);
  XML_SetElementHandler(parser_->handle, &XmppStreamReader::on_start, &XmppStreamReader::on_end);
  XML_SetCharacterDataHandler(parser_->handle, &XmppStreamReader::on_text);
  header_.reset();
  open_.clear();
  complete_.clear();
  closed_ = false;
  depth_ = 0;
  error_.clear();
}

bool XmppStreamReader::feed(std::string_view bytes) {
  if (!error_.empty()) return false;
  if (XML_Parse(parser_->handle, bytes.data(), static_cast<int>(bytes.size()), XML_FALSE) ==
      XML_STATUS_ERROR) {
    error_ = XML_ErrorString(XML_GetErrorCode(parser_->handle));
    return false;
  }
  return true;
}

std::optional<XmlNode> XmppStreamReader::pop() {
  if (complete_.empty()) return std::nullopt;
  XmlNode node = std::move(complete_.front());
  complete_.pop_front();
  return node;
}

void XmppStreamReader::on_start(void* self_ptr, const char* raw_name, const char** attrs) {
  auto& self = *static_cast<XmppStreamReader*>(self_ptr);
  auto [ns, name] = split_name(raw_name);
  XmlNode node(std::move(name), std::move(ns));
  for (const char** a = attrs; *a; a += 2) {
    auto [attr_ns, attr_name] = split_name(a[0]);
    if (attr_ns == kNsXml) attr_name = "xml:" + attr_name;
    node.set(std::move(attr_name), a[1]);
  }
  if (self.depth_++ == 0) {
    self.header_ = std::move(node);
  } else {
    self.open_.push_back(std::move(node));
  }
}

void XmppStreamReader::on_end(void* self_ptr, const char* /*name*/) {
  auto& self = *static_cast<XmppStreamReader*>(self_ptr);
  if (--self.depth_ == 0) {
    // A root that is not a stream header (a server that answers with a bare <stream:error/>)
    // still counts as an element, so the tests can report it.
    if (self.header_ && self.header_->name() != "stream") self.complete_.push_back(*self.header_);
    self.closed_ = true;
    return;
  }
  XmlNode node = std::move(self.open_.back());
  self.open_.pop_back();
  if (self.open_.empty()) {
    self.complete_.push_back(std::move(node));
  } else {
    self.open_.back().append(std::move(node));
  }
}

void XmppStreamReader::on_text(void* self_ptr, const char* text, int length) {
  auto& self = *static_cast<XmppStreamReader*>(self_ptr);
  if (self.open_.empty()) return;  // whitespace keepalives between stanzas
  XmlNode& node = self.open_.back();
  node.set_text(node.text() + std::string(text, static_cast<std::size_t>(length)));
}

}  // namespace parley::it
