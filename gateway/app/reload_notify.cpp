#include "gateway/app/reload_notify.hpp"

#include <signal.h>
#include <sys/types.h>

#include <fstream>
#include <string>

#include "gateway/app/ready_file.hpp"

namespace parley::app {

bool notify_reload(const std::filesystem::path& ready_file) {
  auto info = read_ready_file(ready_file);
  if (!info || info->pid <= 0) return false;
  std::ifstream comm("/proc/" + std::to_string(info->pid) + "/comm");
  std::string name;
  if (!comm || !std::getline(comm, name) || name != "parleyd") return false;
  return ::kill(static_cast<pid_t>(info->pid), SIGHUP) == 0;
}

}  // namespace parley::app
