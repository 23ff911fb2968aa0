// parse_sip and the typed-value parsers, on top of libosip2 (RFC 3261 §7, §19, §20, §25). osip
// parses; this file copies what it found into our value types and checks what RFC 3261 §8.2.1
// needs before any service may look at a request.
#include <osipparser2/osip_port.h>

#include <charconv>
#include <cstring>
#include <mutex>

#include "adapters/sip/wire/header_names.hpp"
#include "adapters/sip/wire/osip_support.hpp"
#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {
namespace detail {
namespace {
void ignore_osip_trace(const char*, int, osip_trace_level_t, const char*, va_list) {}
}  // namespace

void ensure_osip_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    // A no-op sink first (osip falls back to stdout/stderr without one), then every level off.
    osip_trace_initialize_func(TRACE_LEVEL0, &ignore_osip_trace);
    for (int level = TRACE_LEVEL0; level < END_TRACE_LEVEL; ++level) {
      osip_trace_disable_level(static_cast<osip_trace_level_t>(level));
    }
    parser_init();
  });
}

void OsipFree::operator()(char* p) const {
  osip_free(p);
}

}  // namespace detail

namespace {

using detail::OsipString;
using detail::str;

std::optional<std::uint16_t> parse_port(const char* text) {
  if (text == nullptr || *text == '\0') return std::uint16_t{0};
  std::uint32_t value = 0;
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, value);
  if (ec != std::errc() || ptr != end || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// osip strips the brackets of an IPv6 reference; ours keeps them (RFC 3261 §25.1 IPv6reference).
std::string host_of(const char* host) {
  std::string h = str(host);
  if (h.find(':') != std::string::npos && (h.empty() || h.front() != '[')) return "[" + h + "]";
  return h;
}

Params params_of(const osip_list_t* list) {
  Params out;
  const int n = osip_list_size(list);
  for (int i = 0; i < n; ++i) {
    const auto* p = static_cast<const osip_generic_param_t*>(osip_list_get(list, i));
    if (p != nullptr) out.emplace_back(str(p->gname), str(p->gvalue));
  }
  return out;
}

// RFC 3261 §25.1 quoted-string: strip the quotes and the quoted-pair backslashes.
std::string unquote(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::string(text);
  text = text.substr(1, text.size() - 2);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out.push_back(text[i]);
  }
  return out;
}

std::optional<SipUri> uri_of(const osip_uri_t* uri) {
  if (uri == nullptr || uri->scheme == nullptr || uri->host == nullptr) return std::nullopt;
  SipUri out;
  out.scheme = str(uri->scheme);
  for (char& ch : out.scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (out.scheme != "sip" && out.scheme != "sips") return std::nullopt;
  out.user = str(uri->username);  // osip has already undone the %-escapes
  out.host = host_of(uri->host);
  if (out.host.empty()) return std::nullopt;
  auto port = parse_port(uri->port);
  if (!port) return std::nullopt;
  out.port = *port;
  out.params = params_of(&uri->url_params);
  out.headers = params_of(&uri->url_headers);
  return out;
}

std::optional<NameAddr> name_addr_of(const osip_from_t* from) {
  if (from == nullptr) return std::nullopt;
  auto uri = uri_of(from->url);
  if (!uri) return std::nullopt;
  NameAddr out;
  out.display = unquote(str(from->displayname));
  out.uri = std::move(*uri);
  out.params = params_of(&from->gen_params);
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

// Appends one header entry per element of an osip list, each rendered by osip's own to_str.
template <class T, class ToStr>
void add_list(SipMessage& out, const osip_list_t* list, const char* name, ToStr to_str) {
  const int n = osip_list_size(list);
  for (int i = 0; i < n; ++i) {
    auto* element = static_cast<T*>(osip_list_get(list, i));
    char* text = nullptr;
    if (element != nullptr && to_str(element, &text) == 0 && text != nullptr) {
      OsipString owned(text);
      out.headers.emplace_back(name, owned.get());
    }
  }
}

template <class T, class ToStr>
void add_one(SipMessage& out, T* element, const char* name, ToStr to_str) {
  char* text = nullptr;
  if (element != nullptr && to_str(element, &text) == 0 && text != nullptr) {
    OsipString owned(text);
    out.headers.emplace_back(name, owned.get());
  }
}

struct OsipMessageFree {
  void operator()(osip_message_t* m) const { osip_message_free(m); }
};

model::Expected<SipMessage, ParseError> fail(std::string reason, int status = 400) {
  return model::Expected<SipMessage, ParseError>::failure(ParseError{status, std::move(reason)});
}

// Where the header block ends (index of the first body byte), tolerating bare-LF line ends.
std::optional<std::size_t> body_offset(std::string_view data) {
  auto crlf = data.find("\r\n\r\n");
  auto lf = data.find("\n\n");
  if (crlf == std::string_view::npos && lf == std::string_view::npos) return std::nullopt;
  if (lf == std::string_view::npos || (crlf != std::string_view::npos && crlf < lf))
    return crlf + 4;
  return lf + 2;
}

// RFC 3261 §25.1: a header name is a token (osip lets any byte through).
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// false: a header name that is not a token.
bool copy_headers(const osip_message_t& m, SipMessage& out) {
  add_list<osip_via_t>(out, &m.vias, "Via",
                       [](osip_via_t* v, char** s) { return osip_via_to_str(v, s); });
  add_list<osip_route_t>(out, &m.routes, "Route",
                         [](osip_route_t* v, char** s) { return osip_route_to_str(v, s); });
  add_list<osip_record_route_t>(
      out, &m.record_routes, "Record-Route",
      [](osip_record_route_t* v, char** s) { return osip_record_route_to_str(v, s); });
  add_one(out, m.from, "From", [](osip_from_t* v, char** s) { return osip_from_to_str(v, s); });
  add_one(out, m.to, "To", [](osip_to_t* v, char** s) { return osip_to_to_str(v, s); });
  add_one(out, m.call_id, "Call-ID",
          [](osip_call_id_t* v, char** s) { return osip_call_id_to_str(v, s); });
  add_one(out, m.cseq, "CSeq", [](osip_cseq_t* v, char** s) { return osip_cseq_to_str(v, s); });
  add_list<osip_contact_t>(out, &m.contacts, "Contact",
                           [](osip_contact_t* v, char** s) { return osip_contact_to_str(v, s); });
  add_list<osip_authorization_t>(
      out, &m.authorizations, "Authorization",
      [](osip_authorization_t* v, char** s) { return osip_authorization_to_str(v, s); });
  add_list<osip_proxy_authorization_t>(out, &m.proxy_authorizations, "Proxy-Authorization",
                                       [](osip_proxy_authorization_t* v, char** s) {
                                         return osip_proxy_authorization_to_str(v, s);
                                       });
  add_list<osip_www_authenticate_t>(
      out, &m.www_authenticates, "WWW-Authenticate",
      [](osip_www_authenticate_t* v, char** s) { return osip_www_authenticate_to_str(v, s); });
  add_list<osip_proxy_authenticate_t>(
      out, &m.proxy_authenticates, "Proxy-Authenticate",
      [](osip_proxy_authenticate_t* v, char** s) { return osip_proxy_authenticate_to_str(v, s); });
  add_list<osip_authentication_info_t>(out, &m.authentication_infos, "Authentication-Info",
                                       [](osip_authentication_info_t* v, char** s) {
                                         return osip_authentication_info_to_str(v, s);
                                       });
  add_list<osip_proxy_authentication_info_t>(out, &m.proxy_authentication_infos,
                                             "Proxy-Authentication-Info",
                                             [](osip_proxy_authentication_info_t* v, char** s) {
                                               return osip_proxy_authentication_info_to_str(v, s);
                                             });
  add_list<osip_accept_t>(out, &m.accepts, "Accept",
                          [](osip_accept_t* v, char** s) { return osip_accept_to_str(v, s); });
  add_list<osip_accept_encoding_t>(
      out, &m.accept_encodings, "Accept-Encoding",
      [](osip_accept_encoding_t* v, char** s) { return osip_accept_encoding_to_str(v, s); });
  add_list<osip_accept_language_t>(
      out, &m.accept_languages, "Accept-Language",
      [](osip_accept_language_t* v, char** s) { return osip_accept_language_to_str(v, s); });
  add_list<osip_alert_info_t>(
      out, &m.alert_infos, "Alert-Info",
      [](osip_alert_info_t* v, char** s) { return osip_alert_info_to_str(v, s); });
  add_list<osip_allow_t>(out, &m.allows, "Allow",
                         [](osip_allow_t* v, char** s) { return osip_allow_to_str(v, s); });
  add_list<osip_call_info_t>(out, &m.call_infos, "Call-Info", [](osip_call_info_t* v, char** s) {
    return osip_call_info_to_str(v, s);
  });
  add_list<osip_content_encoding_t>(
      out, &m.content_encodings, "Content-Encoding",
      [](osip_content_encoding_t* v, char** s) { return osip_content_encoding_to_str(v, s); });
  add_list<osip_error_info_t>(
      out, &m.error_infos, "Error-Info",
      [](osip_error_info_t* v, char** s) { return osip_error_info_to_str(v, s); });
  add_one(out, m.content_type, "Content-Type",
          [](osip_content_type_t* v, char** s) { return osip_content_type_to_str(v, s); });
  add_one(out, m.mime_version, "MIME-Version",
          [](osip_mime_version_t* v, char** s) { return osip_mime_version_to_str(v, s); });
  const int n = osip_list_size(&m.headers);
  for (int i = 0; i < n; ++i) {
    const auto* h = static_cast<const osip_header_t*>(osip_list_get(&m.headers, i));
    if (h == nullptr || h->hname == nullptr) continue;
    if (!is_token(h->hname)) return false;
    out.headers.emplace_back(canonical_header_name(h->hname), trim(str(h->hvalue)));
  }
  return true;
}

}  // namespace

std::optional<SipUri> SipUri::parse(std::string_view text) {
  detail::ensure_osip_initialised();
  std::string copy = trim(text);
  if (copy.empty()) return std::nullopt;
  osip_uri_t* raw = nullptr;
  if (osip_uri_init(&raw) != 0) return std::nullopt;
  std::unique_ptr<osip_uri_t, void (*)(osip_uri_t*)> uri(raw, osip_uri_free);
  if (osip_uri_parse(uri.get(), copy.c_str()) != 0) return std::nullopt;
  return uri_of(uri.get());
}

std::optional<NameAddr> NameAddr::parse(std::string_view text) {
  detail::ensure_osip_initialised();
  std::string copy = trim(text);
  if (copy == "*") {  // RFC 3261 §10.2.2: "Contact: *" removes all bindings
    NameAddr out;
    out.wildcard = true;
    return out;
  }
  if (copy.empty()) return std::nullopt;
  osip_from_t* raw = nullptr;
  if (osip_from_init(&raw) != 0) return std::nullopt;
  std::unique_ptr<osip_from_t, void (*)(osip_from_t*)> from(raw, osip_from_free);
  if (osip_from_parse(from.get(), copy.c_str()) != 0) return std::nullopt;
  return name_addr_of(from.get());
}

std::optional<Via> Via::parse(std::string_view text) {
  detail::ensure_osip_initialised();
  std::string copy = trim(text);
  if (copy.empty()) return std::nullopt;
  osip_via_t* raw = nullptr;
  if (osip_via_init(&raw) != 0) return std::nullopt;
  std::unique_ptr<osip_via_t, void (*)(osip_via_t*)> via(raw, osip_via_free);
  if (osip_via_parse(via.get(), copy.c_str()) != 0) return std::nullopt;
  if (via->host == nullptr || via->protocol == nullptr || *via->host == '\0') return std::nullopt;
  Via out;
  out.protocol = "SIP/" + str(via->version);
  out.transport = str(via->protocol);
  for (char& ch : out.transport) {
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  out.host = host_of(via->host);
  auto port = parse_port(via->port);
  if (!port) return std::nullopt;
  out.port = *port;
  out.params = params_of(&via->via_params);
  return out;
}

model::Expected<SipMessage, ParseError> parse_sip(std::string_view data) {
  detail::ensure_osip_initialised();
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (!data.empty() && (data.front() == '\r' || data.front() == '\n')) data.remove_prefix(1);
  if (data.empty()) return fail("empty message");
  if (data.find('\0') != std::string_view::npos) {
    // Only the body may carry NUL bytes; osip's C strings would silently truncate headers.
    auto offset = body_offset(data);
    if (!offset || data.substr(0, *offset).find('\0') != std::string_view::npos) {
      return fail("NUL byte in header");
    }
  }

  osip_message_t* raw = nullptr;
  if (osip_message_init(&raw) != 0) return fail("out of memory", 500);
  std::unique_ptr<osip_message_t, OsipMessageFree> m(raw);
  if (osip_message_parse(m.get(), data.data(), data.size()) != 0) {
    return fail("malformed message (start line or headers)");
  }

  SipMessage out;
  out.is_request = m->sip_method != nullptr;
  if (out.is_request) {
    out.method = str(m->sip_method);
    if (str(m->sip_version) != "SIP/2.0") return fail("SIP version not supported", 505);
    auto uri = uri_of(m->req_uri);
    if (!uri) {
      // RFC 3261 §8.2.2.1: a scheme we do not serve is 416, anything else a bad Request-URI.
      if (m->req_uri != nullptr && m->req_uri->scheme != nullptr) {
        std::string scheme = str(m->req_uri->scheme);
        for (char& ch : scheme)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (scheme != "sip" && scheme != "sips") return fail("Unsupported URI Scheme", 416);
      }
      return fail("malformed Request-URI");
    }
    out.request_uri = std::move(*uri);
  } else {
    out.status = m->status_code;
    out.reason = str(m->reason_phrase);
    if (out.status < 100 || out.status > 699) return fail("bad status code");
  }

  if (!copy_headers(*m, out)) return fail("malformed header name");

  // RFC 3261 §8.1.1: the mandatory headers, each well-formed.
  if (osip_list_size(&m->vias) == 0) return fail("missing Via");
  if (out.vias().size() != static_cast<std::size_t>(osip_list_size(&m->vias))) {
    return fail("malformed Via");
  }
  if (m->from == nullptr) return fail("missing From");
  if (!out.from()) return fail("malformed From");
  if (m->to == nullptr) return fail("missing To");
  if (!out.to()) return fail("malformed To");
  if (m->call_id == nullptr || str(m->call_id->number).empty()) return fail("missing Call-ID");
  auto cseq = out.cseq();
  if (!cseq) return fail("missing or malformed CSeq");
  if (out.is_request && cseq->method != out.method) return fail("CSeq method does not match");

  // The body: exactly Content-Length bytes after the blank line (RFC 3261 §18.3, §20.14). A
  // datagram without Content-Length carries the rest of the datagram.
  auto offset = body_offset(data);
  if (!offset) return fail("missing empty line after the headers");
  std::string_view rest = data.substr(*offset);
  out.remove_header("Content-Length");
  if (m->content_length != nullptr) {
    std::string text = trim(str(m->content_length->value));
    std::size_t length = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
      return fail("malformed Content-Length");
    }
    if (length > rest.size()) return fail("Content-Length beyond the end of the message");
    rest = rest.substr(0, length);
  }
  out.body = std::string(rest);
  out.headers.emplace_back("Content-Length", std::to_string(out.body.size()));
  return out;
}

}  // namespace parley::sip

namespace parley::sip {

std::optional<CSeq> SipMessage::cseq() const {
  auto value = header("CSeq");
  if (!value) return std::nullopt;
  detail::ensure_osip_initialised();
  osip_cseq_t* raw = nullptr;
  if (osip_cseq_init(&raw) != 0) return std::nullopt;
  std::unique_ptr<osip_cseq_t, void (*)(osip_cseq_t*)> cseq(raw, osip_cseq_free);
  if (osip_cseq_parse(cseq.get(), value->c_str()) != 0) return std::nullopt;
  std::string number = detail::str(cseq->number);
  CSeq out;
  // RFC 3261 §8.1.1.5: a 32-bit unsigned number (less than 2**31 when chosen by a UAC).
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), out.number);
  if (number.empty() || ec != std::errc() || ptr != number.data() + number.size()) {
    return std::nullopt;
  }
  out.method = detail::str(cseq->method);
  if (out.method.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> SipMessage::content_type() const {
  auto value = header("Content-Type");
  if (!value) return std::nullopt;
  detail::ensure_osip_initialised();
  osip_content_type_t* raw = nullptr;
  if (osip_content_type_init(&raw) != 0) return std::nullopt;
  std::unique_ptr<osip_content_type_t, void (*)(osip_content_type_t*)> type(raw,
                                                                            osip_content_type_free);
  if (osip_content_type_parse(type.get(), value->c_str()) != 0) return std::nullopt;
  if (type->type == nullptr || type->subtype == nullptr) return std::nullopt;
  std::string out = detail::str(type->type) + "/" + detail::str(type->subtype);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace parley::sip
