#include "bench/options.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

namespace parley::bench {
namespace {

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

bool parse_seconds(std::string_view text, std::chrono::milliseconds& out) {
  double seconds = 0;
  if (!parse_number(text, seconds) || !std::isfinite(seconds) || seconds < 0) return false;
  out = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
  return true;
}

std::optional<Scenario> parse_scenario(std::string_view text) {
  if (text == "one2one") return Scenario::one2one;
  if (text == "fanout") return Scenario::fanout;
  if (text == "idle") return Scenario::idle;
  if (text == "login") return Scenario::login;
  if (text == "echo") return Scenario::echo;
  if (text == "sip2xmpp") return Scenario::sip2xmpp;
  return std::nullopt;
}

// One "--key value" pair; false when the value is bad.
bool apply(Options& o, std::string_view key, std::string_view value, bool& known) {
  known = true;
  if (key == "--scenario") {
    const auto scenario = parse_scenario(value);
    if (scenario) o.scenario = *scenario;
    return scenario.has_value();
  }
  if (key == "--host") return o.host = value, !value.empty();
  if (key == "--port") return parse_number(value, o.port) && o.port != 0;
  if (key == "--sip-port") return parse_number(value, o.sip_port) && o.sip_port != 0;
  if (key == "--domain") return o.domain = value, !value.empty();
  if (key == "--users-prefix") return o.users_prefix = value, !value.empty();
  if (key == "--password") return o.password = value, !value.empty();
  if (key == "--clients") return parse_number(value, o.clients);
  if (key == "--first-user") return parse_number(value, o.first_user);
  if (key == "--auth") {
    if (value == "scram-sha-1") {
      o.auth = AuthMechanism::scram_sha1;
    } else if (value == "plain") {
      o.auth = AuthMechanism::plain;
    } else {
      return false;
    }
    return true;
  }
  if (key == "--label") return o.label = value, true;
  if (key == "--connect-concurrency") {
    return parse_number(value, o.connect_concurrency) && o.connect_concurrency > 0;
  }
  if (key == "--threads") return parse_number(value, o.threads) && o.threads > 0 && o.threads <= 64;
  if (key == "--resource") return o.resource = value, !value.empty();
  if (key == "--source-ips") {
    return parse_number(value, o.source_ips) && o.source_ips > 0 && o.source_ips < 255;
  }
  if (key == "--window") {
    std::uint64_t window = 0;
    if (!parse_number(value, window) || window == 0) return false;
    o.window = window;
    return true;
  }
  if (key == "--rate") {
    double rate = 0;
    if (!parse_number(value, rate) || !std::isfinite(rate) || rate <= 0) return false;
    o.rate = rate;
    return true;
  }
  if (key == "--duration-s") return parse_seconds(value, o.duration) && o.duration.count() > 0;
  if (key == "--warmup-s") return parse_seconds(value, o.warmup);
  if (key == "--muc") return o.muc = value, !value.empty();
  if (key == "--room") return o.room = value, !value.empty();
  if (key == "--occupants") return parse_number(value, o.occupants) && o.occupants > 0;
  if (key == "--posters") return parse_number(value, o.posters) && o.posters > 0;
  if (key == "--messages") return parse_number(value, o.messages) && o.messages > 0;
  if (key == "--server-pid") {
    long pid = 0;
    if (!parse_number(value, pid) || pid <= 0) return false;
    o.server_pid = pid;
    return true;
  }
  if (key == "--hold-s") return parse_seconds(value, o.hold);
  if (key == "--concurrency") return parse_number(value, o.concurrency) && o.concurrency > 0;
  if (key == "--connect-timeout-s") {
    return parse_seconds(value, o.connect_timeout) && o.connect_timeout.count() > 0;
  }
  if (key == "--drain-timeout-s") return parse_seconds(value, o.drain_timeout);
  if (key == "--handshake-timeout-s") {
    return parse_seconds(value, o.handshake_timeout) && o.handshake_timeout.count() > 0;
  }
  known = false;
  return false;
}

std::optional<std::string> validate(Options& o) {
  if (o.port == 0) return "--port is required";
  if (o.scenario == Scenario::fanout) {
    if (o.occupants == 0) o.occupants = o.clients;
    if (o.clients == 0) o.clients = o.occupants;
    if (o.occupants == 0) return "fanout needs --occupants (or --clients)";
    if (o.occupants != o.clients) return "fanout: --occupants and --clients differ";
    if (o.posters > o.occupants) return "fanout: --posters exceeds --occupants";
    if (!o.window) o.window = 16;
    if (o.muc.empty()) o.muc = "conference." + o.domain;
  }
  if (o.clients == 0) return "--clients must be at least 1";
  if (o.clients >= 100000000) return "--clients must be below 10^8";
  if (o.scenario == Scenario::one2one || o.scenario == Scenario::echo) {
    if (o.window && o.rate) return "give either --window or --rate, not both";
    if (!o.window && !o.rate) {
      if (o.scenario == Scenario::echo) {
        o.window = 16;
      } else {
        return "one2one needs --window W or --rate R";
      }
    }
    if (o.scenario == Scenario::one2one && o.clients < 2) return "one2one needs 2+ clients";
  }
  if (o.scenario == Scenario::idle && !o.server_pid) return "idle needs --server-pid";
  if (o.scenario == Scenario::sip2xmpp) {
    if (o.sip_port == 0) return "sip2xmpp needs --sip-port";
    if (o.rate) return "sip2xmpp: --rate is not supported, use --window";
    if (!o.window) o.window = 4;
  }
  if (o.threads > o.clients) o.threads = o.clients;
  return std::nullopt;
}

}  // namespace

std::string_view scenario_name(Scenario scenario) {
  switch (scenario) {
    case Scenario::one2one:
      return "one2one";
    case Scenario::fanout:
      return "fanout";
    case Scenario::idle:
      return "idle";
    case Scenario::login:
      return "login";
    case Scenario::echo:
      return "echo";
    case Scenario::sip2xmpp:
      return "sip2xmpp";
  }
  return "?";
}

std::variant<Options, OptionsError> parse_options(int argc, const char* const* argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view key = argv[i];
    if (key == "--help" || key == "-h") return OptionsError{"help"};
    if (key == "--register") {
      options.register_accounts = true;
      continue;
    }
    if (key == "--cold-logins") {
      options.cold_logins = true;
      continue;
    }
    if (i + 1 >= argc) return OptionsError{std::string(key) + ": missing value"};
    const std::string_view value = argv[++i];
    bool known = false;
    if (!apply(options, key, value, known)) {
      return OptionsError{known ? std::string(key) + ": bad value '" + std::string(value) + "'"
                                : std::string(key) + ": unknown option"};
    }
  }
  if (auto problem = validate(options)) return OptionsError{*problem};
  return options;
}

const char* usage_text() {
  return "usage: parley_bench --scenario one2one|fanout|idle|login|echo|sip2xmpp --host 127.0.0.1 "
         "--port P\n"
         "  --domain D --users-prefix bench --password secret --clients N [--first-user 1]\n"
         "  [--auth scram-sha-1|plain] [--label NAME] [--connect-concurrency 32] [--threads 1]\n"
         "  [--register] [--resource bench] [--connect-timeout-s 120] [--drain-timeout-s 10]\n"
         "  [--handshake-timeout-s 30] [--source-ips 1]\n"
         "  one2one: --window W | --rate R (total msgs/s), --duration-s D [--warmup-s 2]\n"
         "  fanout:  --muc conference.D --room NAME --occupants N --posters K --messages M\n"
         "           [--window 16]\n"
         "  idle:    --server-pid PID --hold-s S\n"
         "  login:   --clients N --concurrency C [--cold-logins]\n"
         "  echo:    (against parley_bench_echo_server) --window W | --rate R, --duration-s D\n"
         "  sip2xmpp: --sip-port P [--window 4], --duration-s D [--warmup-s 2]; accounts 0..N-1\n"
         "           receive over XMPP, N..2N-1 send SIP MESSAGE over TCP\n";
}

}  // namespace parley::bench
