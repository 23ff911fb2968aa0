#pragma once
// BaresipProcess: a real SIP user agent (baresip 1.0, Debian's baresip-core) driven without a
// terminal. It gets a private config directory (config, accounts, contacts; SIP on 127.0.0.1
// port 0, no audio), reads menu commands from a pipe on stdin ("/message text" messages the
// current contact, the only one in its contacts file) and its console output is collected so a
// test can wait — bounded — for lines like `sip:alice@localhost: "hello"` (an incoming
// MESSAGE) or "registered successfully".
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace parley::it {

struct BaresipOptions {
  std::string user;  // AOR user part and digest username
  std::string password;
  std::uint16_t server_port = 0;  // parleyd's SIP UDP (or TCP) port
  std::string transport = "udp";
  std::string contact_uri;  // the current contact for /message ("" = none)
};

class BaresipProcess {
 public:
  static constexpr std::chrono::seconds kTimeout{15};

  explicit BaresipProcess(BaresipOptions options);  // throws when baresip cannot be started
  ~BaresipProcess();  // quits, then SIGTERM/SIGKILL with a bound; removes the directory
  BaresipProcess(const BaresipProcess&) = delete;
  BaresipProcess& operator=(const BaresipProcess&) = delete;

  static bool available();  // /usr/bin/baresip exists

  void command(const std::string& line);  // a menu command, e.g. "/message hello"
  // Output position, so a wait can ignore what came before.
  std::size_t mark() const;
  bool wait_output(const std::string& needle, std::size_t from = 0,
                   std::chrono::milliseconds timeout = kTimeout) const;
  // The first of `needles` that appears (after `from`), "" on timeout.
  std::string wait_output_any(const std::vector<std::string>& needles, std::size_t from = 0,
                              std::chrono::milliseconds timeout = kTimeout) const;
  std::string output() const;
  const std::string& aor() const { return aor_; }

 private:
  void read_loop();

  std::filesystem::path dir_;
  std::string aor_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int out_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::string output_;
  static constexpr std::size_t kMaxOutput = 4 * 1024 * 1024;
};

}  // namespace parley::it
