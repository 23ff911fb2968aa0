#pragma once
// MESSAGE bodies (RFC 3428 §7: any MIME type; we take text/plain and text/html) <->
// model::Message. The model's body is always plain text, so HTML becomes text for the body and
// the original HTML travels as ForeignPayload{origin sip, ns "text/html"}: an XMPP recipient
// reads the text, a SIP recipient gets the HTML back unchanged.
// application/im-iscomposing+xml (RFC 3994) is recognised so it can be accepted and dropped.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "mapping/model/expected.hpp"
#include "mapping/model/message.hpp"

namespace parley::mapping::sip {

inline constexpr std::string_view kTextPlain = "text/plain";
inline constexpr std::string_view kTextHtml = "text/html";
inline constexpr std::string_view kIsComposing = "application/im-iscomposing+xml";
inline constexpr std::string_view kHtmlPayloadNs = "text/html";  // ForeignPayload::ns
inline constexpr std::string_view kHtmlPayloadName = "body";     // ForeignPayload::name

enum class ContentKind { text, html, is_composing };

struct SipContent {
  ContentKind kind = ContentKind::text;
  std::string body_text;  // what goes into model::Message::body
  std::string html;       // the original HTML for kind == html
};

struct ContentError {
  int status = 415;    // 415 Unsupported Media Type, or 400 for a body that is not UTF-8
  std::string reason;  // for the reason phrase / Warning
  std::string accept;  // for 415: the Accept header value to send (RFC 3261 §21.4.13)
};

// The value for an Accept header in 415 answers and OPTIONS.
std::string_view accepted_content_types();

// `content_type` is the full Content-Type header value ("text/plain; charset=UTF-8"), empty
// when the request had none (RFC 3428 §7: then the body must be empty too). Charsets other than
// UTF-8 / US-ASCII are refused (415); bodies that are not valid UTF-8 get 400.
model::Expected<SipContent, ContentError> parse_content(std::string_view content_type,
                                                        std::string_view body);

// Puts parsed content into a message: body, and for HTML the ForeignPayload.
void apply_content(const SipContent& content, model::Message& message);

// The body to send to a SIP client for `message`: the HTML payload of SIP origin when present,
// otherwise the plain body.
struct OutgoingContent {
  std::string content_type;  // full header value, e.g. "text/plain;charset=UTF-8"
  std::string body;
};
OutgoingContent content_for_sip(const model::Message& message);

// Text of an HTML fragment: tags dropped, <br>, </p>, </div>, </li> as line breaks, <script>
// and <style> contents dropped, character references (&amp; &#233; &#x2014; ...) decoded,
// runs of white space collapsed. Bounded work: linear in the input.
std::string html_to_text(std::string_view html);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

}  // namespace parley::mapping::sip
