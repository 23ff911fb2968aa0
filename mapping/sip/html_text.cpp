// html_to_text (content.hpp): the plain-text body for an HTML MESSAGE (RFC 3428 allows any
// MIME type; XMPP bodies are plain text, RFC 6121 §5.2.3). HTML is not XML, so this is a
// forgiving single pass, not a parser: linear time, no recursion, no allocation beyond output.
#include <array>
#include <cstdint>

#include "mapping/sip/content.hpp"

namespace parley::mapping::sip {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// Finds `needle` (lower case) case-insensitively from `from`; npos when absent.
std::size_t ifind(std::string_view s, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= s.size(); ++i) {
    if (istarts_with(s.substr(i), needle)) return i;
  }
  return std::string_view::npos;
}

void append_utf8(std::uint32_t cp, std::string& out) {
  if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Decodes the character reference at s[0] == '&'; returns the bytes consumed (0: not a
// reference, the '&' is literal text).
std::size_t decode_reference(std::string_view s, std::string& out) {
  auto semi = s.find(';');
  if (semi == std::string_view::npos || semi > 10 || semi < 2) return 0;
  std::string_view ref = s.substr(1, semi - 1);
  if (ref.front() == '#') {
    bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
    std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    std::uint32_t cp = 0;
    for (char c : digits) {
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (hex && lower(c) >= 'a' && lower(c) <= 'f') d = lower(c) - 'a' + 10;
      if (d < 0) return 0;
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      if (cp > 0x10ffff) cp = 0x110000;  // stays invalid, no overflow
    }
    append_utf8(cp, out);
    return semi + 1;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNamed = {{
      {"amp", "&"},
      {"lt", "<"},
      {"gt", ">"},
      {"quot", "\""},
      {"apos", "'"},
      {"nbsp", "\xc2\xa0"},
  }};
  for (const auto& [name, text] : kNamed) {
    if (ref == name) {
      out += text;
      return semi + 1;
    }
  }
  return 0;
}

// Collects output with HTML white-space collapsing (runs become one space; explicit line
// breaks from tags are kept, without spaces around them).
class TextSink {
 public:
  void text_char(char c) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
      pending_space_ = !out_.empty() && out_.back() != '\n';
      return;
    }
    flush_space();
    out_ += c;
  }
  void text(std::string_view s) {
    flush_space();
    out_ += s;
  }
  void line_break() {
    pending_space_ = false;
    // At most one empty line in a row, none at the start.
    if (out_.empty()) return;
    if (out_.size() >= 2 && out_[out_.size() - 1] == '\n' && out_[out_.size() - 2] == '\n') return;
    out_ += '\n';
  }
  // A block boundary: start a new line unless already at the start of one.
  void block_break() {
    pending_space_ = false;
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }
  std::string finish() {
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    return std::move(out_);
  }

 private:
  void flush_space() {
    if (pending_space_) out_ += ' ';
    pending_space_ = false;
  }
  std::string out_;
  bool pending_space_ = false;
};

bool is_block_tag(std::string_view name) {
  static constexpr std::array<std::string_view, 13> kBlocks = {
      "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol"};
  for (std::string_view b : kBlocks) {
    if (name == b) return true;
  }
  return false;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  TextSink sink;
  std::size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '&') {
      std::string decoded;
      std::size_t used = decode_reference(html.substr(i), decoded);
      if (used > 0) {
        sink.text(decoded);
        i += used;
      } else {
        sink.text_char(c);
        ++i;
      }
      continue;
    }
    if (c != '<') {
      sink.text_char(c);
      ++i;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {  // comment: skip to its end (or the input's)
      auto end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    auto close = html.find('>', i + 1);
    if (close == std::string_view::npos) break;  // an unfinished tag: drop the rest
    std::string_view tag = html.substr(i + 1, close - i - 1);
    bool closing = !tag.empty() && tag.front() == '/';
    if (closing) tag.remove_prefix(1);
    std::string name;
    for (char t : tag) {
      if (!((t >= 'a' && t <= 'z') || (t >= 'A' && t <= 'Z') || (t >= '0' && t <= '9'))) break;
      name += lower(t);
    }
    i = close + 1;
    if (!closing && (name == "script" || name == "style")) {
      // Their content is code, not text: skip to the matching end tag.
      auto end = ifind(html, name == "script" ? "</script" : "</style", i);
      if (end == std::string_view::npos) break;
      auto end_close = html.find('>', end);
      i = end_close == std::string_view::npos ? html.size() : end_close + 1;
      continue;
    }
    if (name == "br") {
      sink.line_break();
    } else if (is_block_tag(name)) {
      sink.block_break();
    }
  }
  return sink.finish();
}

}  // namespace parley::mapping::sip
