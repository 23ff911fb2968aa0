#include "bench/run_report.hpp"

#include <cmath>

namespace parley::bench {
namespace {

double round3(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

template <typename T>
nlohmann::ordered_json nullable(const std::optional<T>& value) {
  if (!value) return nullptr;
  if constexpr (std::is_floating_point_v<T>) {
    return round3(*value);
  } else {
    return *value;
  }
}

nlohmann::ordered_json latency_ms(const LatencyHistogram& latency, double q) {
  if (latency.count() == 0) return nullptr;
  const std::int64_t ns = q >= 1.0 ? latency.max_ns() : latency.percentile_ns(q);
  return round3(static_cast<double>(ns) / 1e6);
}

}  // namespace

nlohmann::ordered_json to_json(const RunReport& report) {
  nlohmann::ordered_json json = {
      {"scenario", report.scenario},
      {"label", report.label},
      {"clients", report.clients},
      {"threads", report.threads},
      {"offered_rate", nullable(report.offered_rate)},
      {"window", nullable(report.window)},
      {"duration_s", round3(report.duration_s)},
      {"sent", report.sent},
      {"delivered", report.delivered},
      {"lost", report.lost},
      {"duplicates", report.duplicates},
      {"msgs_per_s", nullable(report.msgs_per_s)},
      {"p50_ms", latency_ms(report.latency, 0.50)},
      {"p90_ms", latency_ms(report.latency, 0.90)},
      {"p99_ms", latency_ms(report.latency, 0.99)},
      {"max_ms", latency_ms(report.latency, 1.0)},
      {"logins_per_s", nullable(report.logins_per_s)},
      {"rss_per_conn_bytes", nullable(report.rss_per_conn_bytes)},
      {"driver_cpu_pct", round3(report.driver_cpu_pct)},
      {"driver_max_thread_busy_pct", round3(report.driver_max_thread_busy_pct)},
      {"driver_bound", report.driver_bound},
      {"host_steal_pct", nullable(report.host_steal_pct)},
      {"errors", report.errors},
      {"first_error", report.first_error.empty() ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json(report.first_error)},
  };
  for (const auto& [key, value] : report.extra.items()) json[key] = value;
  return json;
}

std::string to_json_line(const RunReport& report) {
  // error_handler replace: a server's bytes quoted in first_error need not be valid UTF-8.
  return to_json(report).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace parley::bench
