#pragma once
// Framing of SIP over a byte stream (TCP/TLS, RFC 3261 §18.3): a message ends after its headers
// plus Content-Length bytes of body (Content-Length is mandatory on streams). Also recognises
// the RFC 5626 §4.4.1 keepalive: a double CRLF "ping" from the client, answered by the session
// with a single CRLF "pong"; a lone CRLF between messages is ignored (RFC 3261 §7.5).
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace parley::sip {

struct FramedMessage {
  std::string data;  // one complete message, for parse_sip
};
struct KeepalivePing {};  // "\r\n\r\n" between messages: answer "\r\n"
struct FramingError {
  int status = 400;  // 400 Bad Request, 413 Message Too Large, 513 Message Too Large (headers)
  std::string reason;
  // After a framing error the stream cannot be resynchronised: answer if possible, then close.
};
using FrameEvent = std::variant<FramedMessage, KeepalivePing, FramingError>;

class StreamFramer {
 public:
  explicit StreamFramer(std::size_t max_message_bytes) : max_(max_message_bytes) {}
  // Appends bytes and returns every event they complete, in order. After a FramingError no
  // further events are produced.
  std::vector<FrameEvent> feed(std::string_view bytes);
  std::size_t buffered() const { return buffer_.size(); }

 private:
  std::size_t max_;
  std::string buffer_;
  bool failed_ = false;
};

}  // namespace parley::sip
