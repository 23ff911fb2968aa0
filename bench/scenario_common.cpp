#include "bench/scenario_common.hpp"

#include <atomic>
#include <iostream>

namespace parley::bench {

std::string user_name(const Options& options, std::size_t index) {
  return options.users_prefix + std::to_string(options.first_user + index);
}

std::string bare_jid(const Options& options, std::size_t index) {
  return user_name(options, index) + "@" + options.domain;
}

std::string source_address(const Options& options, std::size_t index) {
  if (options.source_ips <= 1) return {};
  return "127.0.0." + std::to_string(1 + index % options.source_ips);
}

LoginSettings login_settings(const Options& options, std::size_t index) {
  return LoginSettings{.host = options.host,
                       .port = options.port,
                       .domain = options.domain,
                       .user = user_name(options, index),
                       .password = options.password,
                       .resource = options.resource,
                       .auth = options.auth,
                       .timeout = options.handshake_timeout,
                       .source_address = source_address(options, index)};
}

std::vector<std::shared_ptr<XmppConnection>> make_connections(IoPool& pool,
                                                              const Options& options) {
  std::vector<std::shared_ptr<XmppConnection>> connections;
  connections.reserve(options.clients);
  for (std::size_t i = 0; i < options.clients; ++i) {
    connections.push_back(
        std::make_shared<XmppConnection>(pool.at(i % pool.size()), user_name(options, i)));
  }
  return connections;
}

PhaseResult log_in(IoPool& pool, const Options& options,
                   const std::vector<std::shared_ptr<XmppConnection>>& connections,
                   std::size_t first, std::size_t count, AfterLogin after_login) {
  return run_phase(
      pool, first, count, options.connect_concurrency, options.connect_timeout,
      [&options, &connections, after_login](std::size_t i) -> boost::asio::awaitable<void> {
        XmppConnection& connection = *connections[i];
        co_await login(connection, login_settings(options, i));
        if (after_login) {
          connection.arm_deadline(options.handshake_timeout);
          co_await after_login(i, connection);
          connection.disarm_deadline();
        }
      });
}

PhaseResult register_all(IoPool& pool, const Options& options) {
  auto created = std::make_shared<std::atomic<std::size_t>>(0);
  PhaseResult result = run_phase(
      pool, 0, options.clients, options.connect_concurrency, options.connect_timeout,
      [&pool, &options, created](std::size_t i) -> boost::asio::awaitable<void> {
        auto connection =
            std::make_shared<XmppConnection>(pool.at(i % pool.size()), user_name(options, i));
        LoginSettings settings = login_settings(options, i);
        if (co_await register_account(*connection, settings) == RegisterOutcome::created) {
          ++*created;
        }
        co_await close_stream(*connection, std::chrono::seconds(2));
      });
  std::cerr << "register: " << created->load() << " created, "
            << result.completed - std::min(result.completed, created->load())
            << " existed already\n";
  return result;
}

bool check_phase(const PhaseResult& phase, const char* what, RunReport& report) {
  if (phase.ok()) return true;
  report.errors += phase.failed + (phase.timed_out ? 1 : 0);
  report.first_error =
      phase.first_error.empty()
          ? std::string(what) + ": timeout after " + std::to_string(phase.completed) + " completed"
          : phase.first_error;
  std::cerr << "parley_bench: " << what << " failed: " << report.first_error << "\n";
  return false;
}

}  // namespace parley::bench
