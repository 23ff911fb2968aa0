#pragma once
// XmlWriter: builds XML text with escaping done in one place (STYLE.md §7: never by string
// concatenation of user text). Minimal on purpose: elements, attributes, text, no namespaces
// beyond a literal xmlns attribute. Line breaks and tabs inside text and attribute values are
// written as character references, so an element is always one line (the XML exporter's files
// hold one <event/> per line; recovery after a crash cuts at the last line break).
#include <string>
#include <string_view>
#include <vector>

namespace parley::core::compliance {

// True when `text` is valid UTF-8 made only of XML 1.0 characters (XML 1.0 §2.2 Char): such
// text can be written as-is (escaped); anything else cannot be represented in XML text at all.
bool is_xml_text(std::string_view text);

class XmlWriter {
 public:
  void start(std::string_view name);
  // Only between start() and the first child or text. `value` must pass is_xml_text (callers
  // check: values that do not are replaced with U+FFFD per invalid byte by this function).
  void attribute(std::string_view name, std::string_view value);
  void text(std::string_view value);
  void end();
  // <name>text</name> (or <name/> when `text` is empty) in one call.
  void element(std::string_view name, std::string_view text);
  // The document so far; every started element must have ended.
  std::string take();

 private:
  void close_start_tag();

  std::string out_;
  std::vector<std::string> open_;
  bool start_tag_open_ = false;
};

// XML 1.0 text with characters XML cannot carry replaced by U+FFFD (for attribute values that
// are expected to be clean, like names).
std::string xml_sanitize(std::string_view text);

}  // namespace parley::core::compliance
