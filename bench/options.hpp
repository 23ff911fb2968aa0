#pragma once
// Command line of parley_bench (the contract with bench/suite.sh; see bench/README.md).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace parley::bench {

enum class Scenario { one2one, fanout, idle, login, echo, sip2xmpp };
enum class AuthMechanism { scram_sha1, plain };

struct Options {
  Scenario scenario = Scenario::one2one;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string domain = "localhost";
  std::string users_prefix = "bench";
  std::string password = "secret";
  std::uint64_t clients = 0;
  std::uint64_t first_user = 1;
  AuthMechanism auth = AuthMechanism::scram_sha1;
  std::string label;
  std::uint64_t connect_concurrency = 32;
  std::uint64_t threads = 1;
  bool register_accounts = false;
  std::string resource = "bench";
  // Loopback source addresses 127.0.0.1 .. 127.0.0.K, client i on the (i % K)-th: one source
  // address has only ~28k ephemeral ports towards one server port.
  std::uint64_t source_ips = 1;
  // sip2xmpp: parleyd's SIP TCP port (the XMPP receivers use --port)
  std::uint16_t sip_port = 0;
  // one2one / echo / sip2xmpp
  std::optional<std::uint64_t> window;
  std::optional<double> rate;  // total offered msgs/s
  std::chrono::milliseconds duration{10000};
  std::chrono::milliseconds warmup{2000};
  // fanout
  std::string muc;  // default "conference." + domain
  std::string room = "bench-fanout";
  std::uint64_t occupants = 0;  // default: clients
  std::uint64_t posters = 1;
  std::uint64_t messages = 100;
  // idle
  std::optional<long> server_pid;
  std::chrono::milliseconds hold{10000};
  // login
  std::uint64_t concurrency = 16;
  // SCRAM: an untimed first round fills the client's SaltedPassword cache (RFC 5802 §5.1), so
  // the timed round measures the server; --cold-logins times the first round instead.
  bool cold_logins = false;
  // bounds
  std::chrono::milliseconds connect_timeout{120000};
  std::chrono::milliseconds drain_timeout{10000};
  std::chrono::milliseconds handshake_timeout{30000};  // one connection's login
};

struct OptionsError {
  std::string message;
};

std::string_view scenario_name(Scenario scenario);
// Parses and validates argv; OptionsError explains the first problem ("help" for --help).
std::variant<Options, OptionsError> parse_options(int argc, const char* const* argv);
const char* usage_text();

}  // namespace parley::bench
