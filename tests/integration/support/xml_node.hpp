#pragma once
// XmlNode: the test side's own small XML element tree, independent of the daemon's codec so
// the integration tests judge parleyd with a second implementation. Builders escape on output
// (never string concatenation), and XmppStreamReader turns the bytes a server sends into
// top-level elements with expat.
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::it {

inline constexpr std::string_view kNsClient = "jabber:client";
inline constexpr std::string_view kNsStream = "http://etherx.jabber.org/streams";
inline constexpr std::string_view kNsStreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
inline constexpr std::string_view kNsStanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr std::string_view kNsTls = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr std::string_view kNsSasl = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr std::string_view kNsBind = "urn:ietf:params:xml:ns:xmpp-bind";
inline constexpr std::string_view kNsRoster = "jabber:iq:roster";
inline constexpr std::string_view kNsSm = "urn:xmpp:sm:3";

class XmlNode {
 public:
  XmlNode() = default;
  explicit XmlNode(std::string name, std::string ns = std::string(kNsClient))
      : name_(std::move(name)), ns_(std::move(ns)) {}

  // ---- builders (return *this so a stanza reads as one expression) ----
  XmlNode& set(std::string key, std::string value);
  XmlNode& append(XmlNode child);
  XmlNode& set_text(std::string text);

  // ---- queries ----
  const std::string& name() const { return name_; }
  const std::string& ns() const { return ns_; }
  const std::string& text() const { return text_; }  // character data directly inside
  std::optional<std::string> attr(std::string_view key) const;
  std::string attr_or(std::string_view key, std::string fallback = {}) const;
  bool is(std::string_view name, std::string_view ns) const { return name_ == name && ns_ == ns; }
  // First child with that name (and namespace, when given).
  const XmlNode* child(std::string_view name, std::string_view ns = {}) const;
  // Text of the first child with that name, or empty.
  std::string child_text(std::string_view name, std::string_view ns = {}) const;
  const std::vector<XmlNode>& children() const { return children_; }
  const std::vector<std::pair<std::string, std::string>>& attributes() const { return attrs_; }

  // Serialises with escaping; an xmlns attribute is written wherever the namespace differs
  // from the one in scope (`inherited_ns`, the stream's default namespace at top level).
  std::string to_string(std::string_view inherited_ns = kNsClient) const;

 private:
  void write(std::string& out, std::string_view inherited_ns) const;

  std::string name_;
  std::string ns_;
  std::vector<std::pair<std::string, std::string>> attrs_;
  std::vector<XmlNode> children_;
  std::string text_;
};

std::string xml_escape(std::string_view text);

// The opening tag of a client stream (RFC 6120 §4.7). The namespaces are parameters so the
// bad-input tests can open streams with the wrong ones.
struct StreamHeader {
  std::string to = "localhost";
  std::string stream_ns = std::string(kNsStream);
  std::string content_ns = std::string(kNsClient);
  std::string version = "1.0";
};
std::string stream_header(const StreamHeader& header);

// Incremental, namespace-aware reader of one XMPP stream as a server sends it: the stream
// header (depth 0), then every complete top-level element (depth 1) in order.
class XmppStreamReader {
 public:
  XmppStreamReader();
  ~XmppStreamReader();
  XmppStreamReader(const XmppStreamReader&) = delete;
  XmppStreamReader& operator=(const XmppStreamReader&) = delete;

  // Forgets all state (RFC 6120 §4.3.3: the stream restarts after STARTTLS and SASL).
  void reset();
  // Feeds bytes; false once the bytes are not well-formed XML (see error()).
  bool feed(std::string_view bytes);

  const std::optional<XmlNode>& header() const { return header_; }
  bool closed() const { return closed_; }  // </stream:stream> seen
  const std::string& error() const { return error_; }
  std::optional<XmlNode> pop();  // next complete top-level element

 private:
  struct Parser;
  static void on_start(void* self, const char* name, const char** attrs);
  static void on_end(void* self, const char* name);
  static void on_text(void* self, const char* text, int length);

  std::unique_ptr<Parser> parser_;
  std::optional<XmlNode> header_;
  std::vector<XmlNode> open_;  // elements below the stream root being built
  std::deque<XmlNode> complete_;
  bool closed_ = false;
  int depth_ = 0;
  std::string error_;
};

}  // namespace parley::it
