// Error answers for malformed requests (RFC 3261 §21.4.1) and stack-level rejections.
#include "adapters/sip/wire/error_response.hpp"

#include <string>

#include "adapters/sip/wire/header_names.hpp"

namespace parley::sip {
namespace {

constexpr std::size_t kMaxEchoedLine = 1024;  // a malformed line is not worth echoing in full

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}

// "METHOD SP Request-URI SP SIP/x.y": the method must be a token; the rest may be broken.
bool looks_like_request_line(std::string_view line) {
  auto space = line.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  for (char c : line.substr(0, space)) {
    if (!is_token_char(c)) return false;
  }
  return line.substr(space + 1).find(' ') != std::string_view::npos &&
         line.substr(line.rfind(' ') + 1).starts_with("SIP/");
}

}  // namespace

std::optional<SipMessage> make_error_response(std::string_view data, const ParseError& error) {
  while (!data.empty() && (data.front() == '\r' || data.front() == '\n')) data.remove_prefix(1);
  auto head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) head_end = data.find("\n\n");
  std::string_view head = data.substr(0, head_end);
  auto line_end = head.find('\n');
  if (!looks_like_request_line(trim(head.substr(0, line_end)))) return std::nullopt;
  if (head.substr(0, head.find(' ')) == "ACK") return std::nullopt;  // never answer an ACK

  SipMessage response;
  response.is_request = false;
  response.status = error.status;
  response.reason = error.reason.empty() ? std::string(reason_phrase(error.status)) : error.reason;
  // Echo the headers a client matches its transaction by, one physical line each (folded
  // continuation lines are not followed: this is a best effort for a broken message).
  while (line_end != std::string_view::npos) {
    std::size_t start = line_end + 1;
    line_end = head.find('\n', start);
    std::string_view line =
        head.substr(start, line_end == std::string_view::npos ? head.npos : line_end - start);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (value.size() > kMaxEchoedLine || value.find('\0') != std::string_view::npos) continue;
    const std::string canonical = canonical_header_name(name);
    for (std::string_view wanted : {"Via", "From", "To", "Call-ID", "CSeq"}) {
      if (canonical == wanted) {
        response.add_header(canonical, std::string(value));
        break;
      }
    }
  }
  response.add_header("Warning", "399 parley " + quote(response.reason));
  return response;
}

SipMessage make_rejection(const SipMessage& request, int status, std::string_view reason,
                          std::string_view warn_host) {
  SipMessage response = make_response(request, status, reason);
  std::string host(warn_host.empty() ? std::string_view("parley") : warn_host);
  response.add_header("Warning",
                      "399 " + host + " " + quote(reason.empty() ? reason_phrase(status) : reason));
  return response;
}

}  // namespace parley::sip
