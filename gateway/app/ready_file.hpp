#pragma once
// The readiness file <data_dir>/parleyd.ready.json: written once every listener is bound, so
// scripts and integration tests wait for it (and read the real ports when configured with 0)
// instead of sleeping or polling a port. Removed at exit.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace parley::app {

struct ReadyInfo {
  std::int64_t pid = 0;
  std::uint16_t xmpp_c2s_port = 0;         // 0: listener disabled
  std::uint16_t xmpp_direct_tls_port = 0;  // 0: listener disabled
  std::uint16_t admin_http_port = 0;       // 0: the admin HTTP API is disabled
  std::uint16_t sip_udp_port = 0;          // 0: SIP off or that transport disabled
  std::uint16_t sip_tcp_port = 0;
  std::uint16_t sip_tls_port = 0;
};

// Writes {"pid":..,"xmpp_c2s_port":..,"xmpp_direct_tls_port":..,"admin_http_port":..} to a
// temporary name in the same directory, then renames it over `path`, so a reader never sees a
// partial file. Returns an error message, nullopt on success.
std::optional<std::string> write_ready_file(const std::filesystem::path& path,
                                            const ReadyInfo& info);
// nullopt if missing or malformed.
std::optional<ReadyInfo> read_ready_file(const std::filesystem::path& path);

}  // namespace parley::app
