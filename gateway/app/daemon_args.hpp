#pragma once
// parleyd's command line.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mapping/model/expected.hpp"

namespace parley::app {

enum class DaemonMode { run, check_config, version, help };

struct DaemonArgs {
  DaemonMode mode = DaemonMode::run;
  std::optional<std::filesystem::path> config;
};

// `args` excludes the program name.
model::Expected<DaemonArgs> parse_daemon_args(const std::vector<std::string>& args);
std::string daemon_usage();

}  // namespace parley::app
