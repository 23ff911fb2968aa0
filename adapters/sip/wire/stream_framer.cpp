// SIP framing over TCP/TLS (RFC 3261 §18.3): header block up to the blank line, then exactly
// Content-Length bytes. Only the Content-Length header is looked at here, to know where the
// message ends; everything else is parse_sip's (libosip2's) job.
#include "adapters/sip/wire/stream_framer.hpp"

#include <charconv>
#include <optional>

#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// nullopt: malformed value. A missing header counts as 0 (a message without a body).
std::optional<std::size_t> content_length(std::string_view head) {
  std::size_t pos = head.find('\n');  // skip the start line
  std::optional<std::size_t> found;
  while (pos != std::string_view::npos && pos + 1 < head.size()) {
    std::size_t start = pos + 1;
    pos = head.find('\n', start);
    std::string_view line =
        head.substr(start, pos == std::string_view::npos ? head.npos : pos - start);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = trim(line.substr(0, colon));
    if (!iequals(name, "Content-Length") && !iequals(name, "l")) continue;
    std::string_view value = trim(line.substr(colon + 1));
    std::size_t length = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
      return std::nullopt;
    }
    if (found && *found != length) return std::nullopt;  // two different lengths
    found = length;
  }
  return found.value_or(0);
}

}  // namespace

std::vector<FrameEvent> StreamFramer::feed(std::string_view bytes) {
  std::vector<FrameEvent> events;
  if (failed_) return events;
  buffer_.append(bytes);
  std::size_t consumed = 0;
  auto fail = [&](int status, std::string reason) {
    failed_ = true;
    buffer_.clear();
    events.emplace_back(FramingError{status, std::move(reason)});
    return events;
  };
  while (consumed < buffer_.size()) {
    std::string_view rest = std::string_view(buffer_).substr(consumed);
    // Between messages: RFC 5626 §4.4.1 double-CRLF ping, or a stray CRLF (RFC 3261 §7.5).
    if (rest.front() == '\r' || rest.front() == '\n') {
      if (rest.starts_with("\r\n\r\n")) {
        events.emplace_back(KeepalivePing{});
        consumed += 4;
        continue;
      }
      if (rest.size() < 4 && std::string_view("\r\n\r\n").starts_with(rest)) break;  // wait
      consumed += rest.starts_with("\r\n") ? 2 : 1;
      continue;
    }
    std::size_t head_end = rest.find("\r\n\r\n");
    std::size_t sep = 4;
    if (head_end == std::string_view::npos) {
      head_end = rest.find("\n\n");
      sep = 2;
    }
    if (head_end == std::string_view::npos) {
      // RFC 3261 §21.5.4 513: the header block alone is beyond what we accept.
      if (rest.size() > max_) return fail(513, "Message Too Large");
      break;
    }
    auto length = content_length(rest.substr(0, head_end + sep));
    if (!length) return fail(400, "malformed Content-Length");
    const std::size_t total = head_end + sep + *length;
    if (head_end + sep > max_) return fail(513, "Message Too Large");
    if (total > max_) return fail(413, "Request Entity Too Large");
    if (rest.size() < total) break;
    events.emplace_back(FramedMessage{std::string(rest.substr(0, total))});
    consumed += total;
  }
  buffer_.erase(0, consumed);
  return events;
}

}  // namespace parley::sip
