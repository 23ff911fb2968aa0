// SipMessage accessors, the serializer and response construction (RFC 3261 §7, §8.2.6, §20).
// Parsing lives in sip_parser.cpp (libosip2); here we only render our own value types, escaping
// per RFC 3261 §25.1 so no caller can inject a header or break a URI.
#include <algorithm>
#include <array>
#include <charconv>

#include "adapters/sip/wire/header_names.hpp"
#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_mark(char c) {
  return std::string_view("-_.!~*'()").find(c) != std::string_view::npos;
}

// Percent-escapes everything outside unreserved and `extra` (RFC 3261 §25.1 escaped).
std::string escape(std::string_view text, std::string_view extra) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_alnum(c) || is_mark(c) || extra.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      const auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0f]);
    }
  }
  return out;
}

// Header-field parameters (;tag=..;expires=..): a token, a host-like value, or a quoted string
// (e.g. +sip.instance="<urn:uuid:...>").
void append_params(std::string& out, const Params& params) {
  for (const auto& [name, value] : params) {
    out += ';';
    out += escape(name, "");
    if (value.empty()) continue;
    out += '=';
    bool plain = std::all_of(value.begin(), value.end(), [](char c) {
      return is_alnum(c) || std::string_view("-.!%*_+`'~:[]").find(c) != std::string_view::npos;
    });
    out += plain ? value : quote(value);
  }
}

// Header values never contain CR or LF: a value from anywhere cannot start a new header.
std::string clean_value(std::string_view value) {
  std::string out(value);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

std::string clean_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (is_alnum(c) || std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::optional<std::string> find_param(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::string SipUri::to_string() const {
  std::string out = scheme.empty() ? std::string("sip") : scheme;
  out += ':';
  if (!user.empty()) {
    out += escape(user, "&=+$,;?/");  // RFC 3261 §25.1 user-unreserved
    out += '@';
  }
  out += host;
  if (port != 0) {
    out += ':';
    out += std::to_string(port);
  }
  for (const auto& [name, value] : params) {
    out += ';';
    out += escape(name, "[]/:&+$");  // param-unreserved
    if (!value.empty()) {
      out += '=';
      out += escape(value, "[]/:&+$");
    }
  }
  char separator = '?';
  for (const auto& [name, value] : headers) {
    out += separator;
    separator = '&';
    out += escape(name, "[]/?:+$");  // hnv-unreserved
    out += '=';
    out += escape(value, "[]/?:+$");
  }
  return out;
}

std::string NameAddr::to_string() const {
  if (wildcard) return "*";
  std::string out;
  if (!display.empty()) {
    out += quote(display);
    out += ' ';
  }
  // Always the name-addr form: with a bare addr-spec, URI parameters would be taken as header
  // parameters (RFC 3261 §20.10).
  out += '<';
  out += uri.to_string();
  out += '>';
  append_params(out, params);
  return out;
}

std::string Via::branch() const {
  return find_param(params, "branch").value_or("");
}

std::string Via::to_string() const {
  std::string out = protocol.empty() ? std::string("SIP/2.0") : protocol;
  out += '/';
  out += transport;
  out += ' ';
  out += host;
  if (port != 0) {
    out += ':';
    out += std::to_string(port);
  }
  append_params(out, params);
  return out;
}

std::optional<std::string> SipMessage::header(std::string_view name) const {
  const std::string canonical = canonical_header_name(name);
  for (const auto& [key, value] : headers) {
    if (iequals(key, canonical)) return value;
  }
  return std::nullopt;
}

std::vector<std::string> SipMessage::header_values(std::string_view name) const {
  const std::string canonical = canonical_header_name(name);
  std::vector<std::string> out;
  for (const auto& [key, value] : headers) {
    if (iequals(key, canonical)) out.push_back(value);
  }
  return out;
}

void SipMessage::add_header(std::string name, std::string value) {
  headers.emplace_back(canonical_header_name(name), std::move(value));
}

void SipMessage::set_header(std::string name, std::string value) {
  remove_header(name);
  add_header(std::move(name), std::move(value));
}

void SipMessage::prepend_header(std::string name, std::string value) {
  headers.insert(headers.begin(), {canonical_header_name(name), std::move(value)});
}

void SipMessage::remove_header(std::string_view name) {
  const std::string canonical = canonical_header_name(name);
  std::erase_if(headers, [&](const auto& h) { return iequals(h.first, canonical); });
}

std::vector<Via> SipMessage::vias() const {
  std::vector<Via> out;
  for (const auto& value : header_values("Via")) {
    if (auto via = Via::parse(value)) out.push_back(std::move(*via));
  }
  return out;
}

std::optional<NameAddr> SipMessage::from() const {
  auto value = header("From");
  return value ? NameAddr::parse(*value) : std::nullopt;
}

std::optional<NameAddr> SipMessage::to() const {
  auto value = header("To");
  return value ? NameAddr::parse(*value) : std::nullopt;
}

std::optional<std::string> SipMessage::call_id() const {
  return header("Call-ID");
}

std::vector<NameAddr> SipMessage::contacts() const {
  std::vector<NameAddr> out;
  for (const auto& value : header_values("Contact")) {
    if (auto contact = NameAddr::parse(value)) out.push_back(std::move(*contact));
  }
  return out;
}

std::optional<std::uint32_t> SipMessage::expires() const {
  auto value = header("Expires");
  if (!value) return std::nullopt;
  std::uint32_t out = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), out);
  if (value->empty() || ec != std::errc() || ptr != value->data() + value->size()) {
    return std::nullopt;
  }
  return out;
}

std::string serialize(const SipMessage& message) {
  std::string out;
  out.reserve(256 + message.body.size() + message.headers.size() * 48);
  if (message.is_request) {
    out += clean_name(message.method);
    out += ' ';
    out += clean_value(message.request_uri.to_string());
    out += " SIP/2.0\r\n";
  } else {
    out += "SIP/2.0 ";
    out += std::to_string(message.status);
    out += ' ';
    std::string_view reason = message.reason;
    if (reason.empty()) reason = reason_phrase(message.status);
    out += clean_value(reason);
    out += "\r\n";
  }
  for (const auto& [name, value] : message.headers) {
    if (iequals(name, "Content-Length") || iequals(name, "l")) continue;
    out += clean_name(name);
    out += ": ";
    out += clean_value(value);
    out += "\r\n";
  }
  out += "Content-Length: ";
  out += std::to_string(message.body.size());
  out += "\r\n\r\n";
  out += message.body;
  return out;
}

SipMessage make_response(const SipMessage& request, int status, std::string_view reason,
                         std::string_view to_tag) {
  SipMessage response;
  response.is_request = false;
  response.status = status;
  response.reason = reason.empty() ? std::string(reason_phrase(status)) : std::string(reason);
  for (const auto& value : request.header_values("Via")) response.add_header("Via", value);
  if (auto from = request.header("From")) response.add_header("From", *from);
  if (auto to = request.header("To")) {
    auto parsed = request.to();
    if (!to_tag.empty() && parsed && !find_param(parsed->params, "tag")) {
      parsed->params.emplace_back("tag", std::string(to_tag));
      response.add_header("To", parsed->to_string());
    } else {
      response.add_header("To", *to);
    }
  }
  if (auto call_id = request.header("Call-ID")) response.add_header("Call-ID", *call_id);
  if (auto cseq = request.header("CSeq")) response.add_header("CSeq", *cseq);
  // RFC 3261 §8.2.6.1: a 100 echoes the request's Timestamp.
  if (status == 100) {
    if (auto timestamp = request.header("Timestamp")) response.add_header("Timestamp", *timestamp);
  }
  return response;
}

std::string_view reason_phrase(int status) {
  static constexpr std::array<std::pair<int, std::string_view>, 52> kReasons{{
      {100, "Trying"},
      {180, "Ringing"},
      {181, "Call Is Being Forwarded"},
      {182, "Queued"},
      {183, "Session Progress"},
      {200, "OK"},
      {202, "Accepted"},
      {204, "No Notification"},
      {300, "Multiple Choices"},
      {301, "Moved Permanently"},
      {302, "Moved Temporarily"},
      {305, "Use Proxy"},
      {380, "Alternative Service"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"},
      {408, "Request Timeout"},
      {410, "Gone"},
      {412, "Conditional Request Failed"},
      {413, "Request Entity Too Large"},
      {414, "Request-URI Too Long"},
      {415, "Unsupported Media Type"},
      {416, "Unsupported URI Scheme"},
      {420, "Bad Extension"},
      {421, "Extension Required"},
      {423, "Interval Too Brief"},
      {429, "Provide Referrer Identity"},
      {430, "Flow Failed"},
      {439, "First Hop Lacks Outbound Support"},
      {480, "Temporarily Unavailable"},
      {481, "Call/Transaction Does Not Exist"},
      {482, "Loop Detected"},
      {483, "Too Many Hops"},
      {484, "Address Incomplete"},
      {486, "Busy Here"},
      {487, "Request Terminated"},
      {488, "Not Acceptable Here"},
      {489, "Bad Event"},
      {491, "Request Pending"},
      {500, "Server Internal Error"},
      {501, "Not Implemented"},
      {503, "Service Unavailable"},
      {504, "Server Time-out"},
      {505, "Version Not Supported"},
      {513, "Message Too Large"},
      {603, "Decline"},
      {606, "Not Acceptable"},
  }};
  for (const auto& [code, text] : kReasons) {
    if (code == status) return text;
  }
  return {};
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\r' || c == '\n') continue;
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace parley::sip
