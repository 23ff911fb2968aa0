#pragma once
// The URL of a compliance HTTP exporter, parsed at the boundary (the config parser reports a
// bad one; the exporter uses the parts).
#include <string>
#include <string_view>

#include "mapping/model/expected.hpp"

namespace parley::core::compliance {

struct HttpUrl {
  std::string host;  // a name or an IP literal (IPv6 without the brackets)
  std::string port = "80";
  std::string target = "/";  // path and query
};

// "http://host[:port][/path][?query]"; https, user info and anything else are errors saying why.
model::Expected<HttpUrl> parse_http_url(std::string_view url);

}  // namespace parley::core::compliance
