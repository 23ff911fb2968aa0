#pragma once
// The one JSON line a run prints (the contract with bench/suite.sh; fields documented in
// bench/README.md). Fields a scenario does not measure are null.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bench/latency_histogram.hpp"

namespace parley::bench {

struct RunReport {
  std::string scenario;
  std::string label;
  std::uint64_t clients = 0;
  std::uint64_t threads = 1;
  std::optional<double> offered_rate;  // msgs/s asked for (one2one --rate)
  std::optional<std::uint64_t> window;
  double duration_s = 0;  // the measured interval
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicates = 0;
  std::optional<double> msgs_per_s;  // deliveries/s (frames/s for echo)
  LatencyHistogram latency;          // p50/p90/p99/max come from here (null when empty)
  std::optional<double> logins_per_s;
  std::optional<double> rss_per_conn_bytes;
  double driver_cpu_pct = 0;  // process CPU over the measured interval, % of one core per thread
  double driver_max_thread_busy_pct = 0;  // the busiest driver thread, % of its wall time
  bool driver_bound = false;              // a driver thread was >= 90% busy
  std::optional<double> host_steal_pct;   // CPU time the hypervisor took from this VM, %
  std::uint64_t errors = 0;
  std::string first_error;
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();  // scenario specifics
};

// Busy fraction from which a driver thread is the bottleneck (its figure is a driver ceiling).
inline constexpr double kDriverBoundBusyPct = 90.0;

nlohmann::ordered_json to_json(const RunReport& report);
// One line, no trailing newline.
std::string to_json_line(const RunReport& report);

}  // namespace parley::bench
