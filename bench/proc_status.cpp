#include "bench/proc_status.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace parley::bench {

std::optional<long long> parse_vm_rss(std::string_view text) {
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.substr(0, 6) != "VmRSS:") continue;
    line.remove_prefix(6);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    long long kib = 0;
    const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), kib);
    if (ec != std::errc{}) return std::nullopt;
    const std::string_view unit = std::string_view(end, line.data() + line.size());
    if (unit.find("kB") == std::string_view::npos) return std::nullopt;  // proc(5): always kB
    return kib * 1024;
  }
  return std::nullopt;
}

std::optional<long long> read_vm_rss(long pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/status");
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return parse_vm_rss(text.str());
}

}  // namespace parley::bench
