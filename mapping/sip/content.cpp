#include "mapping/sip/content.hpp"

#include <algorithm>

namespace parley::mapping::sip {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

struct MediaType {
  std::string type;     // "text/plain", lower case
  std::string charset;  // lower case, "" when absent
};

// RFC 3261 §20.15 / RFC 2045: type "/" subtype *( ";" parameter ); charset may be quoted.
MediaType parse_media_type(std::string_view value) {
  MediaType m;
  auto semi = value.find(';');
  m.type = lower(trim(value.substr(0, semi)));
  while (semi != std::string_view::npos) {
    value.remove_prefix(semi + 1);
    semi = value.find(';');
    std::string_view param = trim(value.substr(0, semi));
    auto eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (lower(trim(param.substr(0, eq))) != "charset") continue;
    std::string_view v = trim(param.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    m.charset = lower(v);
  }
  return m;
}

ContentError unsupported(std::string reason) {
  return ContentError{415, std::move(reason), std::string(accepted_content_types())};
}

}  // namespace

std::string_view accepted_content_types() {
  return "text/plain, text/html, application/im-iscomposing+xml";
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // RFC 3629 §3: no overlong forms, no surrogates, nothing above U+10FFFF.
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

model::Expected<SipContent, ContentError> parse_content(std::string_view content_type,
                                                        std::string_view body) {
  using Result = model::Expected<SipContent, ContentError>;
  if (trim(content_type).empty()) {
    // RFC 3261 §7.4.1: a body needs a Content-Type. An empty MESSAGE is odd but harmless.
    if (body.empty()) return SipContent{};
    return Result::failure(unsupported("a body without Content-Type"));
  }
  MediaType media = parse_media_type(content_type);
  if (media.type == kIsComposing) return SipContent{ContentKind::is_composing, {}, {}};
  if (media.type != kTextPlain && media.type != kTextHtml) {
    return Result::failure(unsupported("unsupported content type " + media.type));
  }
  // RFC 3428 §9: UTF-8 is what everybody must understand; we take nothing else (US-ASCII
  // is a subset).
  if (!media.charset.empty() && media.charset != "utf-8" && media.charset != "us-ascii") {
    return Result::failure(unsupported("unsupported charset " + media.charset));
  }
  if (!is_valid_utf8(body)) return Result::failure(ContentError{400, "body is not UTF-8", {}});
  SipContent content;
  if (media.type == kTextHtml) {
    content.kind = ContentKind::html;
    content.html = std::string(body);
    content.body_text = html_to_text(body);
  } else {
    content.body_text = std::string(body);
  }
  return content;
}

void apply_content(const SipContent& content, model::Message& message) {
  message.body = content.body_text;
  if (content.kind != ContentKind::html) return;
  std::erase_if(message.extensions, [](const model::ForeignPayload& p) {
    return p.origin == model::Protocol::sip && p.ns == kHtmlPayloadNs;
  });
  message.extensions.push_back(model::ForeignPayload{model::Protocol::sip,
                                                     std::string(kHtmlPayloadNs),
                                                     std::string(kHtmlPayloadName), content.html});
}

OutgoingContent content_for_sip(const model::Message& message) {
  for (const model::ForeignPayload& p : message.extensions) {
    if (p.origin == model::Protocol::sip && p.ns == kHtmlPayloadNs) {
      return OutgoingContent{"text/html;charset=UTF-8", p.data};
    }
  }
  return OutgoingContent{"text/plain;charset=UTF-8", message.body};
}

}  // namespace parley::mapping::sip
