#pragma once
// Shared steps of the compliance scenarios (compliance/*_test.cpp): the queue's state through
// `parleyctl compliance status --json` and the admin API, the JSONL trail, the room archive in
// the SQLite file, and a tiny HTTP server standing in for a compliance receiver. Header-only so
// each scenario stays one file. Blocking POSIX sockets with timeouts: no fixed ports, no sleeps
// except the bounded polls of another process's state.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/parleyd_process.hpp"

namespace parley::it::compliance {

inline constexpr const char* kAdminToken = "it-admin-token-0123456789";

// The ctl's status document (format: docs/compliance.md); throws when parleyctl fails.
inline nlohmann::json ctl_status(const ParleydProcess& daemon) {
  const auto result = daemon.ctl({"compliance", "status", "--json"});
  if (result.exit_code != 0) {
    throw std::runtime_error("parleyctl compliance status exited " +
                             std::to_string(result.exit_code) + ": " + result.err + result.out);
  }
  return nlohmann::json::parse(result.out);
}

// Polls `predicate` (which asks another process) until it holds or `bound` passes. Another
// process's state can only be polled: a short bounded pause between the looks.
inline bool poll_until(const std::function<bool()>& predicate, std::chrono::milliseconds bound,
                       std::chrono::milliseconds every = std::chrono::milliseconds(100)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

// ---- a minimal HTTP/1.1 server on loopback (the client is support/http_client.hpp) ----

// A compliance receiver: answers each POST with what `status_for(request number)` says and
// keeps the events of the requests it answered 2xx, in order. One request per connection (the
// exporter sends Connection: close).
class ReceiverServer {
 public:
  explicit ReceiverServer(std::function<int(int)> status_for) : status_for_(std::move(status_for)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;  // the kernel's choice
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0) {
      throw std::runtime_error("receiver: cannot listen");
    }
    socklen_t length = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~ReceiverServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(fd_);
  }

  std::uint16_t port() const { return port_; }
  std::vector<nlohmann::json> accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
  }
  int requests() const { return requests_.load(); }
  int refused() const { return refused_.load(); }

 private:
  void run() {
    while (!stopping_) {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) {
        if (stopping_) return;
        continue;
      }
      set_timeouts(client, std::chrono::seconds(10));
      handle(client);
      ::close(client);
    }
  }
  void handle(int client) {
    auto message = read_message(client);
    if (!message) return;
    const int n = ++requests_;
    const int status = status_for_(n);
    if (status >= 200 && status < 300) {
      auto body = nlohmann::json::parse(message->second, nullptr, false);
      std::lock_guard lock(mutex_);
      if (body.is_object() && body.contains("events")) {
        for (auto& event : body["events"]) accepted_.push_back(event);
      }
    } else {
      ++refused_;
    }
    const std::string text = status >= 200 && status < 300 ? "{}" : "{\"error\":\"down\"}";
    send_all(client, "HTTP/1.1 " + std::to_string(status) +
                         " X\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(text.size()) + "\r\nConnection: close\r\n\r\n" + text);
  }

  std::function<int(int)> status_for_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> refused_{0};
  mutable std::mutex mutex_;
  std::vector<nlohmann::json> accepted_;
};

// ---- the JSONL trail ----

// Every event of the JSONL files in `directory`: the rotated files ("<prefix>-<stamp>-<n>")
// by name, i.e. in time order, then the active one ("<prefix>.jsonl"). Throws on a line that
// is not a JSON object (the exporter must never leave a torn record behind).
inline std::vector<nlohmann::json> read_trail(const std::filesystem::path& directory,
                                              const std::string& prefix = "compliance") {
  std::vector<std::filesystem::path> rotated;
  std::optional<std::filesystem::path> active;
  if (!std::filesystem::exists(directory)) return {};
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() != ".jsonl") continue;
    if (name == prefix + ".jsonl") {
      active = entry.path();
    } else if (name.rfind(prefix + "-", 0) == 0) {
      rotated.push_back(entry.path());
    }
  }
  std::sort(rotated.begin(), rotated.end());
  if (active) rotated.push_back(*active);
  std::vector<nlohmann::json> events;
  for (const auto& file : rotated) {
    std::ifstream in(file);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      auto event = nlohmann::json::parse(line, nullptr, false);
      if (!event.is_object()) {
        throw std::runtime_error(file.string() + ":" + std::to_string(number) +
                                 ": not an event: " + line);
      }
      events.push_back(std::move(event));
    }
  }
  return events;
}

inline std::string detail(const nlohmann::json& event, const std::string& key) {
  for (const auto& pair : event.value("details", nlohmann::json::array())) {
    if (pair.is_array() && pair.size() == 2 && pair[0] == key) return pair[1].get<std::string>();
  }
  return {};
}

// The ids (sequence numbers) of a room's messages in the store, through the sqlite3 shell
// (read-only; the daemon must be stopped).
inline std::vector<std::string> stored_message_ids(const ParleydProcess& daemon,
                                                   const std::string& room) {
  const std::filesystem::path db =
      std::filesystem::path(daemon.config().at("data_dir").get<std::string>()) / "parley.db";
  const auto result = ParleydProcess::run(
      {"/usr/bin/sqlite3", "-readonly", db.string(),
       "SELECT seq FROM room_messages WHERE room = '" + room + "' ORDER BY seq;"});
  if (result.exit_code != 0) {
    throw std::runtime_error("sqlite3 (Debian package sqlite3) failed: " + result.err);
  }
  std::vector<std::string> ids;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) ids.push_back(line);
  }
  return ids;
}

}  // namespace parley::it::compliance
