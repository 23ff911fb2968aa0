#pragma once
// Canonical SIP header names: the long form (RFC 3261 §7.3.3 compact forms expanded) with the
// conventional capitalisation ("Call-ID", "WWW-Authenticate"), so lookups and serialisation do
// not depend on how the peer spelled a name.
#include <string>
#include <string_view>

namespace parley::sip {

// "v" -> "Via", "call-id" -> "Call-ID", "x-foo" -> "X-Foo".
std::string canonical_header_name(std::string_view name);

}  // namespace parley::sip
