// fanout: N clients join one XEP-0045 room; the first K post M groupchat messages each, each
// poster keeping at most W of its messages un-echoed (the room echoes every message to its
// sender, XEP-0045 §7.4); every occupant counts the live messages it receives.
#include <iostream>

#include "bench/scenario_common.hpp"
#include "bench/traffic.hpp"

namespace parley::bench {

int run_fanout(const Options& options, RunReport& report) {
  report.window = options.window;
  const std::string room_jid = options.room + "@" + options.muc;
  report.extra["room"] = room_jid;
  report.extra["posters"] = options.posters;
  report.extra["messages_per_poster"] = options.messages;
  IoPool pool(options.threads);
  auto connections = make_connections(pool, options);
  PoolStopper stopper{pool};
  const AfterLogin join = [&](std::size_t i, XmppConnection& connection) {
    return join_room(connection, room_jid, user_name(options, i));
  };
  // The first occupant joins alone: it creates the room (XEP-0045 §10.1), so the others join
  // an existing room instead of racing to create it.
  PhaseResult phase = log_in(pool, options, connections, 0, 1, join);
  double join_s = phase.seconds;
  if (phase.ok() && options.clients > 1) {
    phase = log_in(pool, options, connections, 1, options.clients - 1, join);
    join_s += phase.seconds;
  }
  report.extra["join_s"] = join_s;
  if (!check_phase(phase, "login and join", report)) return 1;
  std::cerr << "fanout: " << options.clients << " occupants joined " << room_jid << " in " << join_s
            << " s\n";

  std::vector<TrafficMember> members;
  for (std::size_t i = 0; i < options.clients; ++i) {
    TrafficMember member{
        .connection = connections[i], .thread = i % pool.size(), .any_sender = true};
    if (i < options.posters) {
      xmpp::wire::XmlElement message("message", "jabber:client");
      message.set_attr("to", room_jid);
      message.set_attr("type", "groupchat");
      member.message = make_message_template(std::move(message));
    }
    members.push_back(std::move(member));
  }
  TrafficConfig config;
  config.window = options.window;
  config.messages_per_sender = options.messages;
  config.deliveries_per_message = options.clients;
  config.credit_own_echo_only = true;
  config.ignore_delayed = true;
  config.drain_timeout = options.drain_timeout;
  // Each window slot waits at most one drain timeout for its echo.
  config.send_timeout = options.drain_timeout * static_cast<long>(options.messages + 1);
  run_traffic(pool, config, std::move(members), report);
  return report.errors == 0 ? 0 : 1;
}

}  // namespace parley::bench
