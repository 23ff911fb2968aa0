// idle: the server's memory per connection. VmRSS of the server before connecting, after all
// N clients are authenticated, bound and available (initial presence) and the RSS has settled,
// and again after holding the connections idle for --hold-s. The figure is the last one: an
// idle connection is one that has been idle for a while, after the server dropped what only a
// login needs (Parley frees a quiet stream's XML parser after 2 s; a garbage-collected server
// compacts). The settled figure, just after the logins, is reported as well.
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "bench/proc_status.hpp"
#include "bench/scenario_common.hpp"

namespace parley::bench {
namespace {

constexpr auto kSettleStep = std::chrono::milliseconds(500);
constexpr auto kSettleMax = std::chrono::seconds(15);

// Connection losses during the hold, reported from the driver threads.
struct HoldState {
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t closed = 0;
  std::string first_error;
};

}  // namespace

int run_idle(const Options& options, RunReport& report) {
  const long pid = *options.server_pid;
  const auto before = read_vm_rss(pid);
  if (!before) {
    report.errors = 1;
    report.first_error = "cannot read VmRSS of pid " + std::to_string(pid);
    std::cerr << "parley_bench: " << report.first_error << "\n";
    return 1;
  }
  IoPool pool(options.threads);
  auto connections = make_connections(pool, options);
  auto hold = std::make_shared<HoldState>();
  PoolStopper stopper{pool};
  const PhaseResult phase = log_in(pool, options, connections, 0, options.clients);
  report.extra["connect_s"] = phase.seconds;
  if (!check_phase(phase, "login", report)) return 1;
  // Keep reading (server keepalives, presence) and notice connections that drop.
  for (std::size_t i = 0; i < connections.size(); ++i) {
    boost::asio::post(pool.at(i % pool.size()).io, [connection = connections[i], hold] {
      connection->start_reading([](xmpp::wire::XmlElement&&) {},
                                [hold](const std::string& reason) {
                                  std::lock_guard lock(hold->mutex);
                                  if (hold->closed++ == 0) hold->first_error = reason;
                                  hold->changed.notify_all();
                                });
    });
  }
  // Settled: two samples kSettleStep apart within 1% (the server may still free or touch
  // login-time memory just after the last login).
  auto after = read_vm_rss(pid);
  const auto settle_deadline = std::chrono::steady_clock::now() + kSettleMax;
  for (;;) {
    std::this_thread::sleep_for(kSettleStep);  // sampling interval, not synchronisation
    const auto sample = read_vm_rss(pid);
    if (!sample || !after) break;
    const bool stable = std::llabs(*sample - *after) * 100 <= *after;
    after = sample;
    if (stable || std::chrono::steady_clock::now() >= settle_deadline) break;
  }
  CpuMeter meter(pool);
  meter.start();
  {
    std::unique_lock lock(hold->mutex);
    hold->changed.wait_for(lock, options.hold, [&] { return hold->closed > 0; });
  }
  const auto load = meter.finish();
  const auto end = read_vm_rss(pid);
  if (!after || !end) {
    report.errors += 1;
    report.first_error = "server pid " + std::to_string(pid) + " went away";
  }
  {
    std::lock_guard lock(hold->mutex);
    report.errors += hold->closed;
    if (report.first_error.empty()) report.first_error = hold->first_error;
  }
  const long long settled = after.value_or(0);
  report.duration_s = std::chrono::duration<double>(options.hold).count();
  const auto per_connection = [&](long long rss) {
    return std::round(static_cast<double>(rss - *before) / static_cast<double>(options.clients));
  };
  if (end) report.rss_per_conn_bytes = per_connection(*end);
  report.driver_cpu_pct = load.cpu_pct_per_thread;
  report.driver_max_thread_busy_pct = load.max_thread_busy_pct;
  report.driver_bound = load.driver_bound;
  report.host_steal_pct = load.host_steal_pct;
  report.extra["rss_before_bytes"] = *before;
  report.extra["rss_settled_bytes"] = settled;
  report.extra["rss_end_bytes"] = end.value_or(0);
  if (after) report.extra["rss_per_conn_login_bytes"] = per_connection(*after);
  return report.errors == 0 ? 0 : 1;
}

}  // namespace parley::bench
