#include "gateway/core/compliance/exporters/xml_writer.hpp"

#include <cassert>
#include <cstdint>

namespace parley::core::compliance {
namespace {

// Decodes one UTF-8 sequence at `i` (RFC 3629: shortest form, no surrogates, <= U+10FFFF);
// returns its length, 0 when invalid.
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char b0 = byte(0);
  std::size_t length = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xe0) == 0xc0) {
    length = 2;
    cp = b0 & 0x1f;
  } else if ((b0 & 0xf0) == 0xe0) {
    length = 3;
    cp = b0 & 0x0f;
  } else if ((b0 & 0xf8) == 0xf0) {
    length = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(k) & 0x3f);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[length] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return length;
}

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
bool is_xml_char(char32_t cp) {
  return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
         (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

void append_escaped(std::string& out, std::string_view text) {
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
        break;  // "]]>" must not appear in text (XML 1.0 §2.4)
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      // XML 1.0 §3.3.3: a literal line break or tab in an attribute is normalised to a space;
      // as references they survive, and the element stays on one line.
      case '\n':
        out += "&#xA;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      case '\t':
        out += "&#x9;";
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace

bool is_xml_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t length = utf8_sequence(text, i, cp);
    if (length == 0 || !is_xml_char(cp)) return false;
    i += length;
  }
  return true;
}

std::string xml_sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t length = utf8_sequence(text, i, cp);
    if (length == 0 || !is_xml_char(cp)) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      i += length == 0 ? 1 : length;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

void XmlWriter::close_start_tag() {
  if (start_tag_open_) {
    out_.push_back('>');
    start_tag_open_ = false;
  }
}

void XmlWriter::start(std::string_view name) {
  close_start_tag();
  out_.push_back('<');
  out_.append(name);
  open_.emplace_back(name);
  start_tag_open_ = true;
}

void XmlWriter::attribute(std::string_view name, std::string_view value) {
  assert(start_tag_open_);
  out_.push_back(' ');
  out_.append(name);
  out_ += "=\"";
  if (is_xml_text(value)) {
    append_escaped(out_, value);
  } else {
    append_escaped(out_, xml_sanitize(value));
  }
  out_.push_back('"');
}

void XmlWriter::text(std::string_view value) {
  close_start_tag();
  if (is_xml_text(value)) {
    append_escaped(out_, value);
  } else {
    append_escaped(out_, xml_sanitize(value));
  }
}

void XmlWriter::end() {
  assert(!open_.empty());
  if (start_tag_open_) {
    out_ += "/>";
    start_tag_open_ = false;
  } else {
    out_ += "</";
    out_ += open_.back();
    out_.push_back('>');
  }
  open_.pop_back();
}

void XmlWriter::element(std::string_view name, std::string_view text_value) {
  start(name);
  if (!text_value.empty()) text(text_value);
  end();
}

std::string XmlWriter::take() {
  assert(open_.empty());
  return std::move(out_);
}

}  // namespace parley::core::compliance
