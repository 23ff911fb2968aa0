#pragma once
// parleyctl's command line, parsed into a typed command before anything touches the database
// (a usage error exits 2 without side effects).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mapping/model/expected.hpp"

namespace parley::app {

enum class CtlVerb {
  account_add,
  account_remove,
  account_list,
  account_passwd,
  department_add,
  department_remove,
  department_list,
  department_add_member,
  department_remove_member,
  department_members,
};

enum class PasswordSource {
  none,            // the command takes no password
  argument,        // --password P
  standard_input,  // --password-stdin, or no password option: one line from standard input
};

struct CtlCommand {
  CtlVerb verb = CtlVerb::account_list;
  std::string jid;         // account commands, add-member, remove-member
  std::string department;  // department commands
  std::string description;
  std::string parent;
  bool admin = false;  // add-member --admin
  PasswordSource password_source = PasswordSource::none;
  std::string password;  // with PasswordSource::argument
};

struct CtlInvocation {
  std::optional<std::filesystem::path> config;  // --config FILE
  bool json = false;                            // --json
  bool help = false;                            // --help: print usage, exit 0
  CtlCommand command;
};

// `args` excludes the program name. Global options (--config, --json, --help) may come before
// or after the command words. The error is one line, e.g. "unknown command 'acount'".
model::Expected<CtlInvocation> parse_ctl_args(const std::vector<std::string>& args);
std::string ctl_usage();

}  // namespace parley::app
