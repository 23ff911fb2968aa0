#include "mapping/model/address.hpp"

#include <arpa/inet.h>
#include <stringprep.h>

#include <array>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>

namespace parley::model {
namespace {

// RFC 7622 §3.2-§3.4: each part is at most 1023 octets once prepared.
constexpr std::size_t kMaxPartBytes = 1023;
// RFC 1035 §2.3.4 label limit, applied to ASCII labels (IDNA U-labels are checked as
// their prepared UTF-8 form only).
constexpr std::size_t kMaxAsciiLabelBytes = 63;

using PrepProfile = const Stringprep_profile*;

// Strict UTF-8 well-formedness (RFC 3629 §4): no overlongs, no surrogates, <= U+10FFFF.
// libidn would reject some of these itself, but with an unhelpful code.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::array<std::uint32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string describe_char(char c) {
  if (c == ' ') return "space";
  std::string out = "'";
  out += c;
  out += '\'';
  return out;
}

// Successful preparations, remembered per thread and per profile: the same few thousand
// addresses go through every stanza, and libidn's stringprep was about a fifth of parleyd's
// CPU in the 1:1 benchmark (perf, bench/TUNING.md). Only successes are kept (garbage input
// cannot fill the table with errors), and a full table is simply cleared: a flood of distinct
// addresses costs what it cost without the cache, memory stays bounded.
class PrepCache {
 public:
  const std::string* find(PrepProfile profile, std::string_view in) {
    auto& table = table_of(profile);
    auto it = table.find(in);
    return it == table.end() ? nullptr : &it->second;
  }
  void remember(PrepProfile profile, std::string_view in, const std::string& out) {
    auto& table = table_of(profile);
    if (table.size() >= kMaxEntries) table.clear();
    table.emplace(std::string(in), out);
  }

 private:
  static constexpr std::size_t kMaxEntries = 4096;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Table = std::unordered_map<std::string, std::string, Hash, std::equal_to<>>;
  // One table per profile (three are used: nodeprep, nameprep, resourceprep).
  Table& table_of(PrepProfile profile) {
    for (auto& [known, table] : tables_) {
      if (known == profile) return table;
      if (known == nullptr) {
        known = profile;
        return table;
      }
    }
    tables_.back().second.clear();  // a fourth profile: share the last slot, still bounded
    tables_.back().first = profile;
    return tables_.back().second;
  }
  std::array<std::pair<PrepProfile, Table>, 3> tables_{};
};

PrepCache& prep_cache() {
  thread_local PrepCache cache;
  return cache;
}

Expected<std::string> prepare_uncached(std::string_view part_name, std::string_view in,
                                       PrepProfile profile);

// Printable ASCII within the part limit: what nearly every address is made of.
bool printable_ascii(std::string_view in) {
  if (in.size() > kMaxPartBytes) return false;
  for (char c : in) {
    if (c < 0x20 || c > 0x7E) return false;  // controls, DEL and every non-ASCII byte
  }
  return true;
}

std::string ascii_lower(std::string_view in) {
  std::string out(in);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Runs one stringprep profile (through the per-thread cache). On printable ASCII the three
// profiles reduce to one step, done here without libidn or the cache: Nodeprep and Nameprep
// fold A-Z to a-z (table B.2), Resourceprep maps nothing; none of their mapped-to-nothing
// (B.1), prohibited (C.1.2, C.2.2, C.3-C.9: all non-ASCII) or bidi rules can apply, and the
// ASCII prohibitions (space, C.1.1; controls, C.2.1) are outside this range or checked by
// the callers (prepare_local). The cache lookup itself was the largest part of parsing.
Expected<std::string> prepare(std::string_view part_name, std::string_view in,
                              PrepProfile profile) {
  if (printable_ascii(in)) {
    return profile == stringprep_xmpp_resourceprep ? std::string(in) : ascii_lower(in);
  }
  if (const std::string* known = prep_cache().find(profile, in)) return *known;
  auto out = prepare_uncached(part_name, in, profile);
  if (out) prep_cache().remember(profile, in, *out);
  return out;
}

// Runs one stringprep profile on a copy of `in` in a buffer sized for the part limit.
Expected<std::string> prepare_uncached(std::string_view part_name, std::string_view in,
                                       PrepProfile profile) {
  if (in.size() > kMaxPartBytes) {
    return Expected<std::string>::failure(std::string(part_name) + " exceeds 1023 bytes");
  }
  if (in.find('\0') != std::string_view::npos) {
    return Expected<std::string>::failure(std::string(part_name) +
                                          " contains forbidden character NUL");
  }
  if (!valid_utf8(in)) {
    return Expected<std::string>::failure(std::string(part_name) + " is not valid UTF-8");
  }
  std::array<char, kMaxPartBytes + 1> buf{};
  std::memcpy(buf.data(), in.data(), in.size());
  int rc = stringprep(buf.data(), buf.size(), static_cast<Stringprep_profile_flags>(0), profile);
  switch (rc) {
    case STRINGPREP_OK:
      break;
    case STRINGPREP_TOO_SMALL_BUFFER:
      return Expected<std::string>::failure(std::string(part_name) +
                                            " exceeds 1023 bytes after preparation");
    case STRINGPREP_CONTAINS_PROHIBITED:
    case STRINGPREP_BIDI_CONTAINS_PROHIBITED:
      return Expected<std::string>::failure(std::string(part_name) +
                                            " contains a prohibited character");
    case STRINGPREP_BIDI_BOTH_L_AND_RAL:
    case STRINGPREP_BIDI_LEADTRAIL_NOT_RAL:
      return Expected<std::string>::failure(std::string(part_name) +
                                            " violates the bidirectional text rules");
    default:
      return Expected<std::string>::failure(std::string(part_name) + " cannot be prepared: " +
                                            stringprep_strerror(static_cast<Stringprep_rc>(rc)));
  }
  std::string out(buf.data());
  return out;
}

Expected<std::string> prepare_local(std::string_view local) {
  if (local.empty()) return Expected<std::string>::failure("localpart is empty");
  // RFC 3920 Appendix A.5 (Nodeprep prohibited output): named here for a useful message;
  // stringprep enforces the same list (and non-ASCII spaces) after mapping.
  for (char c : local) {
    if (std::strchr("\"&'/:<>@ ", c) != nullptr && c != '\0') {
      return Expected<std::string>::failure("localpart contains forbidden character " +
                                            describe_char(c));
    }
  }
  auto out = prepare("localpart", local, stringprep_xmpp_nodeprep);
  if (out && out->empty()) return Expected<std::string>::failure("localpart is empty");
  return out;
}

Expected<std::string> prepare_resource(std::string_view resource) {
  if (resource.empty()) return Expected<std::string>::failure("resourcepart is empty");
  auto out = prepare("resourcepart", resource, stringprep_xmpp_resourceprep);
  if (out && out->empty()) return Expected<std::string>::failure("resourcepart is empty");
  return out;
}

// RFC 7622 §3.2 allows an IP literal: IPv4 dotted quad or an IPv6 address in brackets
// (RFC 3986 §3.2.2). IPv6 is normalised to its canonical text form (RFC 5952).
Expected<std::string> prepare_ipv6_literal(std::string_view domain) {
  std::string inner(domain.substr(1, domain.size() - 2));
  in6_addr addr{};
  if (inner.empty() || inet_pton(AF_INET6, inner.c_str(), &addr) != 1) {
    return Expected<std::string>::failure("domainpart is not a valid IPv6 literal");
  }
  std::array<char, INET6_ADDRSTRLEN> text{};
  inet_ntop(AF_INET6, &addr, text.data(), text.size());
  // Appended piecewise: g++ 12 at -O2/-O3 reports a false -Wrestrict for "[" + string + "]".
  std::string literal;
  literal.reserve(std::strlen(text.data()) + 2);
  literal.push_back('[');
  literal.append(text.data());
  literal.push_back(']');
  return literal;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool ascii_label_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Replaces the IDNA2003 label separators U+3002, U+FF0E, U+FF61 with '.' (RFC 3490 §3.1).
std::string unify_dots(std::string_view in) {
  static constexpr std::array<std::string_view, 3> kDots = {"\xE3\x80\x82", "\xEF\xBC\x8E",
                                                            "\xEF\xBD\xA1"};
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    bool replaced = false;
    for (auto dot : kDots) {
      if (in.substr(i, dot.size()) == dot) {
        out += '.';
        i += dot.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += in[i++];
  }
  return out;
}

Expected<std::string> check_labels(const std::string& domain) {
  std::size_t start = 0;
  std::size_t labels = 0;
  bool numeric = true;
  while (true) {
    std::size_t dot = domain.find('.', start);
    std::string_view label =
        std::string_view(domain).substr(start, dot == std::string::npos ? dot : dot - start);
    if (label.empty()) return Expected<std::string>::failure("domainpart has an empty label");
    bool ascii = true;
    for (char c : label) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        ascii = false;
        continue;
      }
      if (!ascii_label_char_ok(c)) {
        return Expected<std::string>::failure("domainpart contains forbidden character " +
                                              describe_char(c));
      }
    }
    // RFC 1123 §2.1 / RFC 5891 §4.2.3.1: no hyphen at either end of a label.
    if (label.front() == '-' || label.back() == '-') {
      return Expected<std::string>::failure("domainpart label starts or ends with '-'");
    }
    if (ascii && label.size() > kMaxAsciiLabelBytes) {
      return Expected<std::string>::failure("domainpart label exceeds 63 bytes");
    }
    numeric = numeric && all_digits(label);
    ++labels;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  // All-numeric names are IPv4 literals: they must be a real dotted quad.
  if (numeric) {
    in_addr addr{};
    if (labels != 4 || inet_pton(AF_INET, domain.c_str(), &addr) != 1) {
      return Expected<std::string>::failure("domainpart is not a valid IPv4 address");
    }
  }
  return domain;
}

Expected<std::string> prepare_domain(std::string_view domain) {
  if (domain.empty()) return Expected<std::string>::failure("domainpart is empty");
  if (domain.size() > kMaxPartBytes) {
    return Expected<std::string>::failure("domainpart exceeds 1023 bytes");
  }
  if (domain.front() == '[') {
    if (domain.size() < 2 || domain.back() != ']') {
      return Expected<std::string>::failure("domainpart has an unterminated IPv6 literal");
    }
    return prepare_ipv6_literal(domain);
  }
  if (printable_ascii(domain)) {
    // No IDNA dots to unify in ASCII, and Nameprep is the A-Z fold (see prepare).
    std::string_view name = domain;
    if (name.back() == '.') name.remove_suffix(1);  // RFC 7622 §3.2: one trailing dot
    if (name.empty()) return Expected<std::string>::failure("domainpart is empty");
    return check_labels(ascii_lower(name));
  }
  if (!valid_utf8(domain)) return Expected<std::string>::failure("domainpart is not valid UTF-8");
  std::string unified = unify_dots(domain);
  // RFC 7622 §3.2: a single trailing label separator is stripped.
  if (!unified.empty() && unified.back() == '.') unified.pop_back();
  if (unified.empty()) return Expected<std::string>::failure("domainpart is empty");
  // Nameprep (RFC 3491) case-folds and NFKC-normalises; it maps to lower case.
  auto prepared = prepare("domainpart", unified, stringprep_nameprep);
  if (!prepared) return prepared;
  std::string out = unify_dots(*prepared);  // NFKC may produce U+3002 from U+FF61
  if (out.empty()) return Expected<std::string>::failure("domainpart is empty");
  return check_labels(out);
}

}  // namespace

Expected<Address> Address::parse(std::string_view text) {
  // RFC 7622 §3.2: the resource starts at the first '/', which may be followed by '@' and '/'.
  std::string_view rest = text;
  std::string_view resource;
  bool has_resource = false;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    resource = text.substr(slash + 1);
    rest = text.substr(0, slash);
    has_resource = true;
  }
  std::string_view local;
  std::string_view domain = rest;
  bool has_local = false;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    local = rest.substr(0, at);
    domain = rest.substr(at + 1);
    has_local = true;
  }
  Address a;
  if (has_local) {
    auto l = prepare_local(local);
    if (!l) return Expected<Address>::failure(l.error());
    a.local_ = std::move(l).value();
  }
  auto d = prepare_domain(domain);
  if (!d) return Expected<Address>::failure(d.error());
  a.domain_ = std::move(d).value();
  if (has_resource) {
    auto r = prepare_resource(resource);
    if (!r) return Expected<Address>::failure(r.error());
    a.resource_ = std::move(r).value();
  }
  return a;
}

Expected<Address> Address::from_parts(std::string_view local, std::string_view domain,
                                      std::string_view resource) {
  Address a;
  if (!local.empty()) {
    auto l = prepare_local(local);
    if (!l) return Expected<Address>::failure(l.error());
    a.local_ = std::move(l).value();
  }
  auto d = prepare_domain(domain);
  if (!d) return Expected<Address>::failure(d.error());
  a.domain_ = std::move(d).value();
  if (!resource.empty()) {
    auto r = prepare_resource(resource);
    if (!r) return Expected<Address>::failure(r.error());
    a.resource_ = std::move(r).value();
  }
  return a;
}

Address Address::bare() const {
  Address a = *this;
  a.resource_.clear();
  return a;
}

Expected<Address> Address::with_resource(std::string_view resource) const {
  auto r = prepare_resource(resource);
  if (!r) return Expected<Address>::failure(r.error());
  Address a = bare();
  a.resource_ = std::move(r).value();
  return a;
}

std::string Address::bare_string() const {
  if (local_.empty()) return domain_;
  std::string out;
  out.reserve(local_.size() + 1 + domain_.size());
  out += local_;
  out += '@';
  out += domain_;
  return out;
}

std::string Address::to_string() const {
  std::string out = bare_string();
  if (!resource_.empty()) {
    out += '/';
    out += resource_;
  }
  return out;
}

std::size_t AddressHash::operator()(const Address& a) const noexcept {
  // boost::hash_combine's mixing; the parts are hashed separately so "a@b" + "" and
  // "a" + "@b" cannot collide by construction.
  std::hash<std::string> h;
  std::size_t seed = h(a.local());
  auto mix = [&seed](std::size_t v) {
    seed ^= v + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  };
  mix(h(a.domain()));
  mix(h(a.resource()));
  return seed;
}

}  // namespace parley::model
