#include "gateway/app/daemon_args.hpp"

namespace parley::app {

std::string daemon_usage() {
  return R"(usage: parleyd [--config FILE] [--check-config] [--version] [--help]

  --config FILE    configuration file (JSON with comments; see config/parley.jsonc).
                   Default: ./parley.jsonc if present, else built-in defaults.
  --check-config   validate the configuration (including that the listener ports are free),
                   print "configuration OK" or every problem, and exit 0 or 1
  --version        print the version
  --help           show this text

Signals: SIGTERM/SIGINT shut down gracefully (a second one forces exit); SIGHUP reloads
accounts and departments changed with parleyctl.
)";
}

model::Expected<DaemonArgs> parse_daemon_args(const std::vector<std::string>& args) {
  using Result = model::Expected<DaemonArgs>;
  DaemonArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out.mode = DaemonMode::help;
      return out;
    }
    if (a == "--version") {
      out.mode = DaemonMode::version;
    } else if (a == "--check-config") {
      if (out.mode == DaemonMode::run) out.mode = DaemonMode::check_config;
    } else if (a == "--config" || a.rfind("--config=", 0) == 0) {
      std::string value;
      if (a == "--config") {
        if (i + 1 >= args.size()) return Result::failure("option --config needs a file name");
        value = args[++i];
      } else {
        value = a.substr(9);
      }
      if (value.empty()) return Result::failure("option --config needs a file name");
      out.config = value;
    } else {
      return Result::failure(a.rfind("-", 0) == 0 ? "unknown option " + a
                                                  : "unexpected argument '" + a + "'");
    }
  }
  return out;
}

}  // namespace parley::app
