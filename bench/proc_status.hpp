#pragma once
// Resident set size of a process from /proc/<pid>/status (VmRSS, proc(5)).
#include <optional>
#include <string_view>

namespace parley::bench {

// VmRSS in bytes from the text of a /proc/<pid>/status file.
std::optional<long long> parse_vm_rss(std::string_view status_text);
// nullopt when the process does not exist or the file cannot be read.
std::optional<long long> read_vm_rss(long pid);

}  // namespace parley::bench
