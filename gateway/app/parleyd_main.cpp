// parleyd: the Parley daemon. See `parleyd --help` and docs/index.md.
#include <iostream>
#include <string>
#include <vector>

#include "gateway/app/app_config.hpp"
#include "gateway/app/daemon.hpp"
#include "gateway/app/daemon_args.hpp"
#ifdef PARLEY_WITH_JEMALLOC
#include "gateway/app/jemalloc_setup.hpp"
#endif

#ifndef PARLEY_VERSION
#define PARLEY_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace parley;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = app::parse_daemon_args(args);
  if (!parsed) {
    std::cerr << "parleyd: " << parsed.error() << "\n\n" << app::daemon_usage();
    return 2;
  }
  switch (parsed->mode) {
    case app::DaemonMode::help:
      std::cout << app::daemon_usage();
      return 0;
    case app::DaemonMode::version:
      std::cout << "parleyd " << PARLEY_VERSION << "\n";
      return 0;
    default:
      break;
  }
  bool check_only = parsed->mode == app::DaemonMode::check_config;
  // The port check belongs to --check-config; at startup the listeners themselves report
  // a busy port (naming the key), without a window between check and bind.
  auto config = app::load_app_config(parsed->config,
                                     config::CheckOptions{.files = true, .ports = check_only});
  if (!config) {
    for (const auto& problem : config.error()) std::cerr << problem << "\n";
    std::cerr << "parleyd: configuration has " << config.error().size()
              << (config.error().size() == 1 ? " problem" : " problems") << "\n";
    return 1;
  }
  if (check_only) {
    std::cout << "configuration OK";
    if (!config->config_file.empty()) std::cout << " (" << config->config_file.string() << ")";
    std::cout << "\n";
    return 0;
  }
#ifdef PARLEY_WITH_JEMALLOC
  app::use_parser_arena();
  app::start_returning_idle_pages();
#endif
  return app::run_daemon(config.value());
}
