#include "mapping/sip/address.hpp"

#include <cstdint>

namespace parley::mapping::sip {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// "[::1]" -> "::1": IPv6 references are bracketed in URIs (RFC 3261 §25.1) but not in aliases.
std::string_view strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

bool is_local_host(std::string_view host, const SipDomains& domains) {
  host = strip_brackets(host);
  for (const std::string& d : domains.local_domains) {
    if (iequal(host, d)) return true;
  }
  for (const std::string& a : domains.aliases) {
    if (iequal(host, strip_brackets(a))) return true;
  }
  return false;
}

model::Expected<model::Address> address_from_sip_uri(const parley::sip::SipUri& uri,
                                                     const SipDomains& domains) {
  using Result = model::Expected<model::Address>;
  if (!iequal(uri.scheme, "sip") && !iequal(uri.scheme, "sips")) {
    return Result::failure("unsupported URI scheme \"" + uri.scheme + "\"");
  }
  if (uri.user.empty()) return Result::failure("the SIP URI has no user part");
  std::string_view host = strip_brackets(uri.host);
  if (host.empty()) return Result::failure("the SIP URI has no host");
  std::string domain(host);
  bool is_domain = false;
  for (const std::string& d : domains.local_domains) {
    if (iequal(host, d)) {
      domain = d;
      is_domain = true;
      break;
    }
  }
  if (!is_domain && !domains.local_domains.empty()) {
    for (const std::string& a : domains.aliases) {
      if (iequal(host, strip_brackets(a))) {
        domain = domains.local_domains.front();
        break;
      }
    }
  }
  auto address = model::Address::from_parts(uri.user, domain);
  if (!address) return Result::failure("SIP URI user or host: " + address.error());
  return address;
}

parley::sip::SipUri sip_uri_from_address(const model::Address& address) {
  parley::sip::SipUri uri;
  uri.scheme = "sip";
  uri.user = address.local();
  uri.host = address.domain();
  return uri;
}

std::string device_resource(std::string_view device_key) {
  // FNV-1a 64: stable across runs and builds (std::hash is not), good enough to tell a
  // handful of devices of one account apart.
  std::uint64_t h = 14695981039346656037ull;
  for (char c : device_key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sip-";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 0xf];
  return out;
}

}  // namespace parley::mapping::sip
