#pragma once
// Internal to adapters/sip/wire: libosip2 initialisation and ownership helpers. libosip2's C
// types never appear outside the .cpp files of this directory.
#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>

#include <memory>
#include <string>

namespace parley::sip::detail {

// parser_init() builds libosip2's header tables once (thread-safe via call_once) and silences
// its stderr tracing: a malformed request from a peer is ours to report, not osip's to print.
void ensure_osip_initialised();

struct OsipFree {
  void operator()(char* p) const;
};
using OsipString = std::unique_ptr<char, OsipFree>;

// "" for a null C string.
inline std::string str(const char* s) {
  return s != nullptr ? std::string(s) : std::string();
}

}  // namespace parley::sip::detail
