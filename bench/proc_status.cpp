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

std::optional<CpuTicks> parse_cpu_ticks(std::string_view text) {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice": guest time is
  // already counted in user and nice, so it is not added again.
  if (text.substr(0, 4) != "cpu ") return std::nullopt;
  text.remove_prefix(4);
  text = text.substr(0, text.find('\n'));
  CpuTicks ticks;
  for (int field = 0; field < 8; ++field) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    unsigned long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{}) return field >= 4 ? std::optional(ticks) : std::nullopt;  // old kernels
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    ticks.total += value;
    if (field == 7) ticks.steal = value;
  }
  return ticks;
}

std::optional<CpuTicks> read_cpu_ticks() {
  std::ifstream file("/proc/stat");
  if (!file) return std::nullopt;
  std::string line;
  std::getline(file, line);
  return parse_cpu_ticks(line);
}

std::optional<double> steal_pct(const CpuTicks& before, const CpuTicks& after) {
  if (after.total <= before.total || after.steal < before.steal) return std::nullopt;
  return 100.0 * static_cast<double>(after.steal - before.steal) /
         static_cast<double>(after.total - before.total);
}

}  // namespace parley::bench
