#pragma once
// SIP messages as our own small value types (RFC 3261 §7). Parsing is done by libosip2
// (sip_parser.cpp), never by hand; these types are what the rest of Parley sees, so libosip2's
// C structures never leak out of adapters/sip/wire.
//
// Header names are kept in their canonical long form ("Via", "Call-ID", "Content-Type"), also
// when the peer used the compact form (RFC 3261 §7.3.3: v, f, t, i, m, l, c, k, e, s, o, u, x).
// Lookups are case-insensitive.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/model/expected.hpp"

namespace parley::sip {

using Params = std::vector<std::pair<std::string, std::string>>;  // ;name=value (value may be "")

// Looks a parameter up case-insensitively; nullopt when absent ("" when present without value).
std::optional<std::string> find_param(const Params& params, std::string_view name);

struct SipUri {                // RFC 3261 §19.1
  std::string scheme = "sip";  // "sip" or "sips"
  std::string user;            // may be empty (e.g. "sip:example.com")
  std::string host;            // a name, IPv4, or IPv6 in brackets
  std::uint16_t port = 0;      // 0: not given
  Params params;               // transport, lr, ob, ...
  Params headers;              // ?name=value (rare)
  std::string to_string() const;
  static std::optional<SipUri> parse(std::string_view text);
  friend bool operator==(const SipUri&, const SipUri&) = default;
};

struct NameAddr {  // From, To, Contact, Route, Record-Route (RFC 3261 §20.10)
  std::string display;
  SipUri uri;
  Params params;          // tag, expires, q, +sip.instance, reg-id, ...
  bool wildcard = false;  // Contact: *
  std::string to_string() const;
  static std::optional<NameAddr> parse(std::string_view text);
};

struct Via {  // RFC 3261 §20.42, RFC 3581 rport
  std::string protocol = "SIP/2.0";
  std::string transport;  // "UDP", "TCP", "TLS", "WS", "WSS"
  std::string host;
  std::uint16_t port = 0;  // 0: not given
  Params params;           // branch, received, rport (may be valueless), maddr, ttl
  std::string branch() const;
  std::string to_string() const;
  static std::optional<Via> parse(std::string_view text);  // one via-parm
};

struct CSeq {
  std::uint32_t number = 0;
  std::string method;
};

struct SipMessage {
  bool is_request = true;
  // requests
  std::string method;  // upper case as sent ("REGISTER", "MESSAGE", ...)
  SipUri request_uri;
  // responses
  int status = 0;
  std::string reason;

  // In order. A header that carries several comma-separated values (Via, Contact, Route...)
  // appears as one entry per value after parsing.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // ---- header access (case-insensitive names, compact forms accepted) ----
  std::optional<std::string> header(std::string_view name) const;  // the first
  std::vector<std::string> header_values(std::string_view name) const;
  void add_header(std::string name, std::string value);      // appended
  void set_header(std::string name, std::string value);      // replaces all of that name
  void prepend_header(std::string name, std::string value);  // e.g. a new top Via
  void remove_header(std::string_view name);

  // ---- typed views (nullopt when missing or malformed) ----
  std::vector<Via> vias() const;
  std::optional<NameAddr> from() const;
  std::optional<NameAddr> to() const;
  std::optional<std::string> call_id() const;
  std::optional<CSeq> cseq() const;
  std::vector<NameAddr> contacts() const;
  std::optional<std::uint32_t> expires() const;     // the Expires header
  std::optional<std::string> content_type() const;  // lower-cased type/subtype, no params
};

struct ParseError {
  int status = 400;    // the response to send for a request that cannot be understood
  std::string reason;  // human readable, goes in the reason phrase / a Warning header
};

// Parses one complete message (a UDP datagram or one framed TCP message). Checks what RFC 3261
// §8.2.1/§16.3 need before anything else can look at it: request line or status line, Via, From,
// To, Call-ID, CSeq (method matching the request line), Content-Length not beyond the data.
model::Expected<SipMessage, ParseError> parse_sip(std::string_view data);

// Serializes with a correct Content-Length (always written, RFC 3261 §20.14 for streams).
std::string serialize(const SipMessage& message);

// RFC 3261 §8.2.6: a response to `request` with its Via headers, From, To (a To tag is added
// when `to_tag` is non-empty and the request's To has none), Call-ID and CSeq.
SipMessage make_response(const SipMessage& request, int status, std::string_view reason = {},
                         std::string_view to_tag = {});

// The standard reason phrase for a status code ("Not Found"), "" for an unknown one.
std::string_view reason_phrase(int status);

// Case-insensitive ASCII comparison of header names / methods.
bool iequals(std::string_view a, std::string_view b);
// RFC 3261 §25.1 quoted-string: `"` and `\` escaped; CR and LF dropped (they cannot be quoted).
std::string quote(std::string_view text);

}  // namespace parley::sip
