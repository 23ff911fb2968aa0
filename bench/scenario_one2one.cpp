// one2one: N logged-in clients; client i sends chat messages to client (i + N/2) % N, either
// keeping a window of W messages un-received or at a total offered rate, for a warmup and a
// measured duration. Also the echo scenario: the same traffic against parley_bench_echo_server
// (no login, every connection is its own peer), which gives the driver's own ceiling.
#include <iostream>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "bench/scenario_common.hpp"
#include "bench/traffic.hpp"

namespace parley::bench {
namespace {

TrafficConfig traffic_config(const Options& options) {
  TrafficConfig config;
  config.window = options.window;
  config.rate = options.rate;
  config.warmup = options.warmup;
  config.duration = options.duration;
  config.drain_timeout = options.drain_timeout;
  return config;
}

void describe(const Options& options, RunReport& report) {
  report.offered_rate = options.rate;
  report.window = options.window;
}

}  // namespace

int run_one2one(const Options& options, RunReport& report) {
  describe(options, report);
  IoPool pool(options.threads);
  auto connections = make_connections(pool, options);
  PoolStopper stopper{pool};
  const PhaseResult phase = log_in(pool, options, connections, 0, options.clients);
  report.extra["connect_s"] = phase.seconds;
  if (!check_phase(phase, "login", report)) return 1;
  std::cerr << "one2one: " << options.clients << " clients logged in in " << phase.seconds
            << " s\n";

  const std::size_t n = options.clients;
  std::vector<TrafficMember> members;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t target = (i + n / 2) % n;
    xmpp::wire::XmlElement message("message", "jabber:client");
    message.set_attr("to", bare_jid(options, target));
    message.set_attr("type", "chat");
    members.push_back(TrafficMember{
        .connection = connections[i],
        .thread = i % pool.size(),
        .message = make_message_template(std::move(message)),
        .expected_sender = static_cast<std::uint32_t>((i + n - n / 2) % n),
    });
  }
  run_traffic(pool, traffic_config(options), std::move(members), report);
  return report.errors == 0 ? 0 : 1;
}

int run_echo(const Options& options, RunReport& report) {
  describe(options, report);
  IoPool pool(options.threads);
  auto connections = make_connections(pool, options);
  PoolStopper stopper{pool};
  // The echo server returns our own stream header, then every stanza: the same parsing and
  // bookkeeping per message as against a real server, with no server work in between.
  const PhaseResult phase = run_phase(
      pool, 0, options.clients, options.connect_concurrency, options.connect_timeout,
      [&](std::size_t i) -> boost::asio::awaitable<void> {
        XmppConnection& connection = *connections[i];
        connection.arm_deadline(options.handshake_timeout);
        co_await connection.connect(options.host, options.port, source_address(options, i));
        xmpp::wire::StreamHeader header;
        header.to = options.domain;
        header.version = "1.0";
        co_await connection.write(xmpp::wire::serialize_stream_header(header));
        connection.disarm_deadline();
      });
  report.extra["connect_s"] = phase.seconds;
  if (!check_phase(phase, "connect", report)) return 1;

  std::vector<TrafficMember> members;
  for (std::size_t i = 0; i < options.clients; ++i) {
    xmpp::wire::XmlElement message("message", "jabber:client");
    message.set_attr("to", bare_jid(options, i));
    message.set_attr("type", "chat");
    members.push_back(TrafficMember{.connection = connections[i],
                                    .thread = i % pool.size(),
                                    .message = make_message_template(std::move(message)),
                                    .expected_sender = static_cast<std::uint32_t>(i)});
  }
  run_traffic(pool, traffic_config(options), std::move(members), report);
  return report.errors == 0 ? 0 : 1;
}

}  // namespace parley::bench
