// login: N complete logins (connect, SASL, stream restart, bind, session if advertised, close)
// with C in progress at once; logins/s and the login latency distribution. With SCRAM an
// untimed round first fills the client-side SaltedPassword cache (see --cold-logins).
#include <iostream>

#include "bench/scenario_common.hpp"

namespace parley::bench {

int run_login(const Options& options, RunReport& report) {
  IoPool pool(options.threads);
  // Per thread, touched only by that thread's steps; read after the phase (its mutex orders it).
  std::vector<LatencyHistogram> latency(pool.size());
  std::vector<std::shared_ptr<SaltedPasswordCache>> caches;
  for (std::size_t t = 0; t < pool.size(); ++t) {
    caches.push_back(std::make_shared<SaltedPasswordCache>());
  }
  bool timed = false;
  PoolStopper stopper{pool};
  const PhaseStep step = [&](std::size_t i) -> boost::asio::awaitable<void> {
    const auto started = std::chrono::steady_clock::now();
    const std::size_t thread = i % pool.size();
    auto connection = std::make_shared<XmppConnection>(pool.at(thread), user_name(options, i));
    LoginSettings settings = login_settings(options, i);
    settings.initial_presence = false;
    settings.sync_ping = false;
    settings.scram_cache = caches[thread];
    co_await login(*connection, settings);
    if (timed) {
      latency[thread].record(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count());
    }
    co_await close_stream(*connection, std::chrono::seconds(5));
  };
  const bool prime = !options.cold_logins && options.auth == AuthMechanism::scram_sha1;
  if (prime) {
    const PhaseResult priming =
        run_phase(pool, 0, options.clients, options.concurrency, options.connect_timeout, step);
    if (!check_phase(priming, "login (untimed priming round)", report)) return 1;
  }
  timed = true;  // the threads see it: run_phase posts the new steps after this write
  CpuMeter meter(pool);
  meter.start();
  const PhaseResult phase =
      run_phase(pool, 0, options.clients, options.concurrency, options.connect_timeout, step);
  const auto load = meter.finish();
  for (const auto& histogram : latency) report.latency.merge(histogram);
  report.duration_s = phase.seconds;
  report.sent = phase.completed;
  report.logins_per_s =
      phase.seconds > 0 ? static_cast<double>(phase.completed) / phase.seconds : 0.0;
  report.driver_cpu_pct = load.cpu_pct_per_thread;
  report.driver_max_thread_busy_pct = load.max_thread_busy_pct;
  report.driver_bound = load.driver_bound;
  report.host_steal_pct = load.host_steal_pct;
  report.extra["concurrency"] = options.concurrency;
  report.extra["logins"] = phase.completed;
  report.extra["scram_cache_primed"] = prime;
  return check_phase(phase, "login", report) ? 0 : 1;
}

}  // namespace parley::bench
