// parley_bench: the load driver (bench/README.md). Parses the command line, registers the
// accounts when asked, runs one scenario and prints one JSON line on stdout (logs on stderr).
// Exit status: 0 the run completed, 1 a connection/authentication failure or a connection lost
// during the run, 64 bad arguments.
#include <sys/resource.h>

#include <iostream>
#include <variant>

#include "bench/scenario_common.hpp"

int main(int argc, char** argv) {
  using namespace parley::bench;
  auto parsed = parse_options(argc, argv);
  if (const auto* error = std::get_if<OptionsError>(&parsed)) {
    if (error->message != "help") std::cerr << "parley_bench: " << error->message << "\n";
    std::cerr << usage_text();
    return error->message == "help" ? 0 : 64;
  }
  const Options& options = std::get<Options>(parsed);
  // One descriptor per client: lift the soft limit to the hard one (idle runs hold 50k+).
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  RunReport report;
  report.scenario = std::string(scenario_name(options.scenario));
  report.label = options.label;
  report.clients = options.clients;
  report.threads = options.threads;
  int status = 1;
  try {
    bool registered = true;
    if (options.register_accounts && options.scenario != Scenario::echo) {
      IoPool pool(options.threads);
      Options accounts = options;  // sip2xmpp: the N receivers and the N senders
      if (options.scenario == Scenario::sip2xmpp) accounts.clients = 2 * options.clients;
      registered = check_phase(register_all(pool, accounts), "registration", report);
    }
    if (registered) {
      switch (options.scenario) {
        case Scenario::one2one:
          status = run_one2one(options, report);
          break;
        case Scenario::fanout:
          status = run_fanout(options, report);
          break;
        case Scenario::idle:
          status = run_idle(options, report);
          break;
        case Scenario::login:
          status = run_login(options, report);
          break;
        case Scenario::echo:
          status = run_echo(options, report);
          break;
        case Scenario::sip2xmpp:
          status = run_sip2xmpp(options, report);
          break;
      }
    }
  } catch (const std::exception& e) {
    report.errors += 1;
    report.first_error = e.what();
    std::cerr << "parley_bench: " << e.what() << "\n";
    status = 1;
  }
  std::cout << to_json_line(report) << std::endl;
  return status;
}
