#pragma once
// ParleydProcess: one real parleyd in a private temporary directory. It writes the config
// (every listener on port 0), spawns the binary with its output in <dir>/parleyd.log, waits
// (bounded) for <data_dir>/parleyd.ready.json, runs parleyctl against the same config, and
// stops the daemon with SIGTERM, checking the exit status. The directory is removed at the end.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley::it {

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally (killed by a signal)
  std::string out;
  std::string err;
};

struct Account {
  std::string jid;  // bare, e.g. alice-1@localhost
  std::string password;
  std::string local() const { return jid.substr(0, jid.find('@')); }
};

class ParleydProcess {
 public:
  static constexpr std::chrono::seconds kReadyTimeout{20};
  static constexpr std::chrono::seconds kStopTimeout{15};

  // `config_patch` is merged (RFC 7386 JSON merge patch) over the test defaults.
  explicit ParleydProcess(const nlohmann::json& config_patch = nlohmann::json::object());
  ~ParleydProcess();
  ParleydProcess(const ParleydProcess&) = delete;
  ParleydProcess& operator=(const ParleydProcess&) = delete;

  // Spawns parleyd and waits until it is ready. Throws std::runtime_error with the daemon log
  // when it exits early or does not get ready within kReadyTimeout. Can be called again after
  // stop(): the same data directory (and store) is used.
  void start();
  // SIGTERM, then waits up to `bound` for the exit; returns the exit code (-1 after a signal).
  // Throws when the daemon does not exit in time (it is then killed).
  int stop(std::chrono::milliseconds bound = kStopTimeout);
  void kill();
  // Crash injection: SIGKILL (no shutdown path runs at all) and reap. Same as kill(), named
  // for what the durability tests mean by it.
  void kill9() { kill(); }
  // kill9() when running, then start() on the same data directory.
  void restart();
  bool running() const { return pid_ > 0; }
  // The admin HTTP API (ready file admin_http_port); 0 when disabled.
  std::uint16_t admin_http_port() const { return admin_http_port_; }

  std::uint16_t c2s_port() const { return c2s_port_; }
  std::uint16_t direct_tls_port() const { return direct_tls_port_; }
  // SIP listeners (ready file sip_udp_port / sip_tcp_port / sip_tls_port); 0 when disabled.
  std::uint16_t sip_udp_port() const { return sip_udp_port_; }
  std::uint16_t sip_tcp_port() const { return sip_tcp_port_; }
  std::uint16_t sip_tls_port() const { return sip_tls_port_; }
  const std::string& domain() const { return domain_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path config_path() const { return dir_ / "parley.json"; }
  const nlohmann::json& config() const { return config_; }
  std::string log() const;

  // parleyctl --config <ours> args...
  CommandResult ctl(const std::vector<std::string>& args) const;
  // parleyd --check-config --config <path>
  static CommandResult check_config(const std::filesystem::path& config);
  // Creates a fresh account named "<prefix>-<n>@<domain>" (unique within this daemon, so tests
  // sharing one daemon never see each other's state). Throws when parleyctl fails.
  Account new_account(const std::string& prefix);

  // Runs a program to completion with a bound, capturing stdout and stderr.
  static CommandResult run(const std::vector<std::string>& argv,
                           std::chrono::seconds bound = std::chrono::seconds(30));

 private:
  void read_ready_file();
  static std::filesystem::path make_temp_dir();

  std::filesystem::path dir_;
  nlohmann::json config_;
  std::string domain_;
  pid_t pid_ = -1;
  std::uint16_t c2s_port_ = 0;
  std::uint16_t direct_tls_port_ = 0;
  std::uint16_t sip_udp_port_ = 0;
  std::uint16_t sip_tcp_port_ = 0;
  std::uint16_t sip_tls_port_ = 0;
  std::uint16_t admin_http_port_ = 0;
  int account_counter_ = 0;
};

}  // namespace parley::it
