#include "gateway/app/ready_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

namespace parley::app {

std::optional<std::string> write_ready_file(const std::filesystem::path& path,
                                            const ReadyInfo& info) {
  nlohmann::json j = {{"pid", info.pid},
                      {"xmpp_c2s_port", info.xmpp_c2s_port},
                      {"xmpp_direct_tls_port", info.xmpp_direct_tls_port},
                      {"admin_http_port", info.admin_http_port},
                      {"sip_udp_port", info.sip_udp_port},
                      {"sip_tcp_port", info.sip_tcp_port},
                      {"sip_tls_port", info.sip_tls_port}};
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump() << '\n';
    out.flush();
    if (!out) return "cannot write " + tmp.string();
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return "cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message();
  }
  return std::nullopt;
}

std::optional<ReadyInfo> read_ready_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  try {
    ReadyInfo info;
    info.pid = j.at("pid").get<std::int64_t>();
    info.xmpp_c2s_port = j.at("xmpp_c2s_port").get<std::uint16_t>();
    info.xmpp_direct_tls_port = j.at("xmpp_direct_tls_port").get<std::uint16_t>();
    info.admin_http_port = j.value("admin_http_port", std::uint16_t{0});  // added later: optional
    info.sip_udp_port = j.value("sip_udp_port", std::uint16_t{0});
    info.sip_tcp_port = j.value("sip_tcp_port", std::uint16_t{0});
    info.sip_tls_port = j.value("sip_tls_port", std::uint16_t{0});
    return info;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace parley::app
