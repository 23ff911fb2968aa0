// parse_http_url: the compliance HTTP exporter's URL, checked by the config parser too.
#include "gateway/core/compliance/http_url.hpp"

#include <charconv>

namespace parley::core::compliance {

model::Expected<HttpUrl> parse_http_url(std::string_view url) {
  using Result = model::Expected<HttpUrl>;
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, 8) == "https://") {
    return Result::failure("https is not supported; use http:// to a local TLS proxy");
  }
  if (url.substr(0, kScheme.size()) != kScheme) return Result::failure("must start with http://");
  url.remove_prefix(kScheme.size());
  HttpUrl out;
  const auto slash = url.find_first_of("/?");
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    out.target = std::string(url.substr(slash));
    if (out.target.front() == '?') out.target.insert(out.target.begin(), '/');
  }
  if (authority.find('@') != std::string_view::npos) {
    return Result::failure("credentials in the URL are not supported; use a header");
  }
  if (!authority.empty() && authority.front() == '[') {  // RFC 3986 §3.2.2 IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return Result::failure("unterminated IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') return Result::failure("bad authority");
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    authority.remove_prefix(colon == std::string_view::npos ? authority.size() : colon);
  }
  if (!authority.empty()) {  // ":port"
    const std::string_view port = authority.substr(1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return Result::failure("bad port '" + std::string(port) + "'");
    }
    out.port = std::string(port);
  }
  if (out.host.empty()) return Result::failure("no host");
  for (char c : out.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Result::failure("the path contains a space or control character");
    }
  }
  return out;
}

}  // namespace parley::core::compliance
