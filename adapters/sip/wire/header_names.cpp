// Canonical header names. Compact forms from RFC 3261 §7.3.3 and the IANA "Header Fields"
// registry (RFC 3265/6665 o/u, RFC 3515 r, RFC 3892 b, RFC 4028 x, RFC 3841 a/j/d).
#include "adapters/sip/wire/header_names.hpp"

#include <array>
#include <cctype>
#include <utility>

#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kCompact{{
    {"v", "Via"},
    {"f", "From"},
    {"t", "To"},
    {"i", "Call-ID"},
    {"m", "Contact"},
    {"l", "Content-Length"},
    {"c", "Content-Type"},
    {"k", "Supported"},
    {"e", "Content-Encoding"},
    {"s", "Subject"},
    {"o", "Event"},
    {"u", "Allow-Events"},
    {"x", "Session-Expires"},
    {"r", "Refer-To"},
    {"b", "Referred-By"},
    {"a", "Accept-Contact"},
    {"j", "Reject-Contact"},
    {"d", "Request-Disposition"},
}};

// Names whose usual spelling is not plain Title-Case.
constexpr std::array<std::string_view, 10> kSpecial{
    "Call-ID", "CSeq", "WWW-Authenticate",    "MIME-Version",        "SIP-ETag", "SIP-If-Match",
    "RSeq",    "RAck", "P-Asserted-Identity", "Authentication-Info",
};

}  // namespace

std::string canonical_header_name(std::string_view name) {
  if (name.size() == 1) {
    for (const auto& [compact, full] : kCompact) {
      if (iequals(compact, name)) return std::string(full);
    }
  }
  for (std::string_view special : kSpecial) {
    if (iequals(special, name)) return std::string(special);
  }
  std::string out(name);
  bool word_start = true;
  for (char& ch : out) {
    const auto u = static_cast<unsigned char>(ch);
    ch = static_cast<char>(word_start ? std::toupper(u) : std::tolower(u));
    word_start = (ch == '-');
  }
  return out;
}

}  // namespace parley::sip
