#include "tests/integration/support/parleyd_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<char*> to_argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// A descriptor that becomes readable when the process exits (Linux >= 5.3); -1 if unavailable,
// in which case callers fall back to a short bounded poll of waitpid.
int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

// Waits until `pid` exits or `deadline` passes; returns the raw wait status when it exited.
std::optional<int> wait_exit(pid_t pid, Clock::time_point deadline) {
  const int pidfd = open_pidfd(pid);
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (pidfd >= 0) ::close(pidfd);
      return status;
    }
    if (r < 0 && errno != EINTR) {
      if (pidfd >= 0) ::close(pidfd);
      return std::nullopt;
    }
    const auto now = Clock::now();
    if (now >= deadline) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left) + 1);
    } else {
      // Waiting for an external process: a bounded poll is the only portable option.
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long>(left + 1, 20)));
    }
  }
  if (pidfd >= 0) ::close(pidfd);
  return std::nullopt;
}

int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

nlohmann::json default_config(const std::filesystem::path& dir) {
  // Port 0 everywhere: parleyd binds free ports and reports them in the ready file.
  return nlohmann::json{
      {"data_dir", (dir / "data").string()},
      {"domains", {"localhost"}},
      {"threads", 2},
      {"log", {{"level", "debug"}, {"format", "text"}}},
      {"store", {{"path", "parley.db"}}},
      {"shutdown_timeout_ms", 5000},
      {"xmpp",
       {{"c2s", {{"enabled", true}, {"address", "127.0.0.1"}, {"port", 0}}},
        {"direct_tls", {{"enabled", true}, {"address", "127.0.0.1"}, {"port", 0}}}}},
  };
}

}  // namespace

ParleydProcess::ParleydProcess(const nlohmann::json& config_patch) : dir_(make_temp_dir()) {
  config_ = default_config(dir_);
  config_.merge_patch(config_patch);
  domain_ = config_.at("domains").at(0).get<std::string>();
  std::filesystem::create_directories(config_.at("data_dir").get<std::string>());
  std::ofstream(config_path()) << config_.dump(2) << '\n';
}

ParleydProcess::~ParleydProcess() {
  if (running()) kill();
  if (std::getenv("PARLEY_IT_KEEP") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::filesystem::path ParleydProcess::make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-it-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  }
  return pattern;
}

std::string ParleydProcess::log() const {
  return read_file(dir_ / "parleyd.log");
}

void ParleydProcess::start() {
  if (running()) throw std::logic_error("parleyd already running");
  const std::filesystem::path data_dir = config_.at("data_dir").get<std::string>();
  const auto ready_file = data_dir / "parleyd.ready.json";
  std::filesystem::remove(ready_file);  // a stale one from a previous run names old ports

  const std::string log_path = (dir_ / "parleyd.log").string();
  const std::vector<std::string> args{PARLEYD_PATH, "--config", config_path().string()};
  auto argv = to_argv(args);
  const pid_t parent = ::getpid();
  // fork + exec rather than posix_spawn: the child asks for SIGTERM when the test process
  // dies (PR_SET_PDEATHSIG), so a crashed or killed test never leaves a daemon behind. Only
  // async-signal-safe calls between fork and exec.
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork parleyd");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the test died before prctl took effect
    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log_fd < 0 || null_fd < 0) ::_exit(127);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::dup2(null_fd, STDIN_FILENO);
    ::execve(PARLEYD_PATH, argv.data(), environ);
    ::_exit(127);
  }
  pid_ = pid;

  // Waiting for an external process to get ready: a bounded poll of the ready file, watching
  // for an early exit at the same time.
  const auto deadline = Clock::now() + kReadyTimeout;
  for (;;) {
    if (auto status = wait_exit(pid_, Clock::now() + std::chrono::milliseconds(20))) {
      pid_ = -1;
      throw std::runtime_error("parleyd exited during startup with status " +
                               std::to_string(exit_code_of(*status)) + "\n--- parleyd log ---\n" +
                               log());
    }
    if (std::filesystem::exists(ready_file)) {
      try {
        read_ready_file();
        return;
      } catch (const std::exception&) {
        // Partially written; read again on the next round.
      }
    }
    if (Clock::now() >= deadline) {
      kill();
      throw std::runtime_error("parleyd not ready within " + std::to_string(kReadyTimeout.count()) +
                               " s\n--- parleyd log ---\n" + log());
    }
  }
}

void ParleydProcess::read_ready_file() {
  const std::filesystem::path data_dir = config_.at("data_dir").get<std::string>();
  const auto ready = nlohmann::json::parse(read_file(data_dir / "parleyd.ready.json"));
  c2s_port_ = ready.value("xmpp_c2s_port", std::uint16_t{0});
  direct_tls_port_ = ready.value("xmpp_direct_tls_port", std::uint16_t{0});
  sip_udp_port_ = ready.value("sip_udp_port", std::uint16_t{0});
  sip_tcp_port_ = ready.value("sip_tcp_port", std::uint16_t{0});
  sip_tls_port_ = ready.value("sip_tls_port", std::uint16_t{0});
  admin_http_port_ = ready.value("admin_http_port", std::uint16_t{0});
  if (ready.at("pid").get<pid_t>() != pid_) throw std::runtime_error("ready file of another pid");
}

int ParleydProcess::stop(std::chrono::milliseconds bound) {
  if (!running()) throw std::logic_error("parleyd not running");
  ::kill(pid_, SIGTERM);
  auto status = wait_exit(pid_, Clock::now() + bound);
  if (!status) {
    kill();
    throw std::runtime_error("parleyd did not exit within " + std::to_string(bound.count()) +
                             " ms of SIGTERM\n--- parleyd log ---\n" + log());
  }
  pid_ = -1;
  return exit_code_of(*status);
}

void ParleydProcess::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  wait_exit(pid_, Clock::now() + std::chrono::seconds(10));
  pid_ = -1;
}

void ParleydProcess::restart() {
  if (running()) kill9();
  start();
}

CommandResult ParleydProcess::ctl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{PARLEYCTL_PATH, "--config", config_path().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

CommandResult ParleydProcess::check_config(const std::filesystem::path& config) {
  return run({PARLEYD_PATH, "--check-config", "--config", config.string()});
}

Account ParleydProcess::new_account(const std::string& prefix) {
  const int n = ++account_counter_;
  Account account{prefix + "-" + std::to_string(n) + "@" + domain_,
                  "pw-" + prefix + "-" + std::to_string(n) + "-s3cret"};
  const auto result = ctl({"account", "add", account.jid, "--password", account.password});
  if (result.exit_code != 0) {
    throw std::runtime_error("parleyctl account add " + account.jid + " exited " +
                             std::to_string(result.exit_code) + ": " + result.err + result.out);
  }
  return account;
}

CommandResult ParleydProcess::run(const std::vector<std::string>& args,
                                  std::chrono::seconds bound) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  auto argv = to_argv(args);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    throw std::system_error(rc, std::generic_category(), "posix_spawn " + args[0]);
  }

  CommandResult result;
  const auto deadline = Clock::now() + bound;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0 && Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (::poll(fds, 2, static_cast<int>(left.count()) + 1) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  auto status = wait_exit(
      pid, Clock::now() + (open_count > 0 ? std::chrono::seconds(0) : std::chrono::seconds(5)));
  if (!status) {
    ::kill(pid, SIGKILL);
    wait_exit(pid, Clock::now() + std::chrono::seconds(5));
    result.err += "\n[integration rig: killed after " + std::to_string(bound.count()) + " s]";
    return result;
  }
  result.exit_code = exit_code_of(*status);
  return result;
}

}  // namespace parley::it
