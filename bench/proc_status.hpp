#pragma once
// Resident set size of a process from /proc/<pid>/status (VmRSS, proc(5)), and the machine's
// CPU time stolen by the hypervisor from /proc/stat.
#include <optional>
#include <string_view>

namespace parley::bench {

// VmRSS in bytes from the text of a /proc/<pid>/status file.
std::optional<long long> parse_vm_rss(std::string_view status_text);
// nullopt when the process does not exist or the file cannot be read.
std::optional<long long> read_vm_rss(long pid);

// The aggregate "cpu" line of /proc/stat: all CPU time and the part of it that was stolen
// (proc(5): time spent in other operating systems when running in a virtualized environment),
// in clock ticks since boot.
struct CpuTicks {
  unsigned long long total = 0;
  unsigned long long steal = 0;
};
std::optional<CpuTicks> parse_cpu_ticks(std::string_view stat_text);
std::optional<CpuTicks> read_cpu_ticks();
// Stolen share of the CPU time between two readings, in %; nullopt when no tick passed.
std::optional<double> steal_pct(const CpuTicks& before, const CpuTicks& after);

}  // namespace parley::bench
