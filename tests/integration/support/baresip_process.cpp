#include "tests/integration/support/baresip_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <vector>

extern char** environ;

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kBaresip = "/usr/bin/baresip";

// Waits (bounded) for the child; true when it was reaped.
bool reap(pid_t pid, std::chrono::milliseconds bound) {
  const auto deadline = Clock::now() + bound;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) return true;
    if (Clock::now() >= deadline) return false;
    // Waiting for an external process to exit: a short bounded poll is the portable way.
    ::poll(nullptr, 0, 10);
  }
}

}  // namespace

bool BaresipProcess::available() {
  return ::access(kBaresip, X_OK) == 0;
}

BaresipProcess::BaresipProcess(BaresipOptions options) {
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-baresip-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  }
  dir_ = pattern;
  const std::string server = "127.0.0.1:" + std::to_string(options.server_port);
  aor_ = "sip:" + options.user + "@" + server;
  {
    // No audio/video modules: messaging only. Port 0: the kernel picks the local port.
    std::ofstream config(dir_ / "config");
    config << "poll_method\tepoll\n"
           << "sip_listen\t127.0.0.1:0\n"
           << "module_path\t/usr/lib/baresip/modules\n"
           << "module\tstdio.so\n"
           << "module_app\taccount.so\n"
           << "module_app\tcontact.so\n"
           << "module_app\tmenu.so\n";
    std::ofstream accounts(dir_ / "accounts");
    accounts << "<" << aor_ << ";transport=" << options.transport
             << ">;auth_pass=" << options.password << ";regint=600\n";
    std::ofstream contacts(dir_ / "contacts");
    if (!options.contact_uri.empty()) contacts << "\"peer\" <" << options.contact_uri << ">\n";
  }

  int in_pipe[2];
  int out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe");
  }
  const std::string dir = dir_.string();
  std::vector<std::string> args{kBaresip, "-f", dir};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork baresip");
  if (pid == 0) {
    // Only async-signal-safe calls until exec; the agent dies with the test.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(out_pipe[1], STDERR_FILENO);
    ::execve(kBaresip, argv.data(), environ);
    ::_exit(127);
  }
  pid_ = pid;
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  stdin_fd_ = in_pipe[1];
  out_fd_ = out_pipe[0];
  reader_ = std::thread([this] { read_loop(); });
}

BaresipProcess::~BaresipProcess() {
  if (stdin_fd_ >= 0) {
    [[maybe_unused]] auto n = ::write(stdin_fd_, "q", 1);  // the menu's quit key
    ::close(stdin_fd_);
  }
  if (pid_ > 0 && !reap(pid_, std::chrono::seconds(3))) {
    ::kill(pid_, SIGTERM);
    if (!reap(pid_, std::chrono::seconds(3))) {
      ::kill(pid_, SIGKILL);
      reap(pid_, std::chrono::seconds(3));
    }
  }
  if (reader_.joinable()) reader_.join();  // EOF once the process is gone
  if (out_fd_ >= 0) ::close(out_fd_);
  if (std::getenv("PARLEY_IT_KEEP") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

void BaresipProcess::read_loop() {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    {
      std::lock_guard lock(mutex_);
      if (output_.size() < kMaxOutput) output_.append(buf, static_cast<std::size_t>(n));
    }
    changed_.notify_all();
  }
}

void BaresipProcess::command(const std::string& line) {
  const std::string bytes = line + "\n";
  if (::write(stdin_fd_, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    throw std::system_error(errno, std::generic_category(), "write to baresip");
  }
}

std::size_t BaresipProcess::mark() const {
  std::lock_guard lock(mutex_);
  return output_.size();
}

bool BaresipProcess::wait_output(const std::string& needle, std::size_t from,
                                 std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return output_.size() > from && output_.find(needle, from) != std::string::npos;
  });
}

std::string BaresipProcess::wait_output_any(const std::vector<std::string>& needles,
                                            std::size_t from,
                                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  std::string found;
  changed_.wait_for(lock, timeout, [&] {
    if (output_.size() <= from) return false;
    for (const auto& n : needles) {
      if (output_.find(n, from) != std::string::npos) {
        found = n;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::string BaresipProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

}  // namespace parley::it
