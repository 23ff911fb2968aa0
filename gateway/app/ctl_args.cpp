#include "gateway/app/ctl_args.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace parley::app {
namespace {

using Result = model::Expected<CtlInvocation>;

enum class Arg { jid, department, name, room, role, file };

struct VerbSpec {
  std::string_view group;
  std::string_view name;
  CtlVerb verb;
  std::vector<Arg> positionals;
  std::vector<std::string_view> options;  // accepted command options
};

const std::vector<VerbSpec>& verb_specs() {
  static const std::vector<VerbSpec> specs = {
      {"account", "add", CtlVerb::account_add, {Arg::jid}, {"--password", "--password-stdin"}},
      {"account", "remove", CtlVerb::account_remove, {Arg::jid}, {}},
      {"account", "list", CtlVerb::account_list, {}, {}},
      {"account", "import", CtlVerb::account_import, {Arg::file}, {}},
      {"account",
       "passwd",
       CtlVerb::account_passwd,
       {Arg::jid},
       {"--password", "--password-stdin"}},
      {"department",
       "add",
       CtlVerb::department_add,
       {Arg::department},
       {"--description", "--parent"}},
      {"department", "remove", CtlVerb::department_remove, {Arg::department}, {}},
      {"department", "list", CtlVerb::department_list, {}, {}},
      {"department",
       "add-member",
       CtlVerb::department_add_member,
       {Arg::department, Arg::jid},
       {"--admin"}},
      {"department",
       "remove-member",
       CtlVerb::department_remove_member,
       {Arg::department, Arg::jid},
       {}},
      {"department", "members", CtlVerb::department_members, {Arg::department}, {}},
      {"category", "add", CtlVerb::category_add, {Arg::name}, {"--description", "--creator"}},
      {"category", "remove", CtlVerb::category_remove, {Arg::name}, {}},
      {"category", "list", CtlVerb::category_list, {}, {}},
      {"room",
       "create",
       CtlVerb::room_create,
       {Arg::name},
       {"--category", "--id", "--description", "--type", "--privacy", "--manager"}},
      {"room", "delete", CtlVerb::room_delete, {Arg::room}, {}},
      {"room", "list", CtlVerb::room_list, {}, {}},
      {"room", "role", CtlVerb::room_role, {Arg::room, Arg::jid, Arg::role}, {}},
      {"compliance", "status", CtlVerb::compliance_status, {}, {}},
  };
  return specs;
}

bool takes_value(std::string_view option) {
  return option == "--config" || option == "--password" || option == "--description" ||
         option == "--parent" || option == "--creator" || option == "--category" ||
         option == "--id" || option == "--type" || option == "--privacy" || option == "--manager";
}

std::string arg_name(Arg a) {
  switch (a) {
    case Arg::jid:
      return "JID";
    case Arg::department:
      return "DEPARTMENT";
    case Arg::name:
      return "NAME";
    case Arg::room:
      return "ROOM";
    case Arg::role:
      return "ROLE";
    case Arg::file:
      return "FILE";
  }
  return "ARGUMENT";
}

}  // namespace

std::string ctl_usage() {
  return R"(usage: parleyctl [--config FILE] [--json] <command>

Accounts:
  account add JID [--password P | --password-stdin]   create an account
  account remove JID                                  delete an account and all its data
  account list                                        list accounts
  account passwd JID [--password P | --password-stdin]  set a new password
    Without --password the password is read as one line from standard input.
  account import FILE                                 create many accounts ("-": stdin)
    One "JID PASSWORD" per line (the password is the rest of the line; '#' comments).
    Nothing is written unless every line is valid; existing accounts are left unchanged.

Departments (the enterprise directory):
  department add NAME [--description D] [--parent P]
  department remove NAME
  department list
  department add-member DEPT JID [--admin]
  department remove-member DEPT JID
  department members DEPT

Rooms (persistent chat; a running parleyd reloads them):
  category add NAME [--description D] [--creator JID-or-DOMAIN]...
                                   who may create rooms in it (none: administrators only)
  category remove NAME             only when no room uses it
  category list
  room create NAME --category C [--id ID] [--description D] [--type normal|auditorium]
              [--privacy open|closed|secret] [--manager JID]
  room delete ROOM                 the room id, with its history
  room list
  room role ROOM JID none|member|presenter|manager

Compliance (docs/compliance.md):
  compliance status                outbox depth, oldest event age, per exporter: cursor,
                                   pending, last error, consecutive failures

Options:
  --config FILE   parleyd's configuration (default: ./parley.jsonc if present, else built-in
                  defaults); parleyctl opens the same database
  --json          print results and errors as JSON ({"ok":true,...} / {"ok":false,"error":...})
  --help          show this text

Exit status: 0 ok, 1 the command failed, 2 usage error.
)";
}

Result parse_ctl_args(const std::vector<std::string>& args) {
  CtlInvocation inv;
  std::vector<std::string> words;
  std::vector<std::pair<std::string, std::string>> options;  // command options, in order
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      inv.help = true;
      return inv;
    }
    if (a == "--json") {
      inv.json = true;
      continue;
    }
    if (a.rfind("--", 0) == 0) {
      std::string name = a;
      std::string value;
      bool has_inline_value = false;
      if (auto eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        has_inline_value = true;
      }
      if (takes_value(name)) {
        if (!has_inline_value) {
          if (i + 1 >= args.size()) return Result::failure("option " + name + " needs a value");
          value = args[++i];
        }
      } else if (has_inline_value) {
        return Result::failure("option " + name + " takes no value");
      }
      if (name == "--config") {
        if (value.empty()) return Result::failure("option --config needs a file name");
        inv.config = value;
      } else {
        options.emplace_back(name, value);
      }
      continue;
    }
    words.push_back(a);
  }

  if (words.empty()) return Result::failure("missing command");
  const auto& specs = verb_specs();
  if (std::none_of(specs.begin(), specs.end(),
                   [&](const VerbSpec& s) { return s.group == words[0]; })) {
    return Result::failure("unknown command '" + words[0] + "'");
  }
  if (words.size() < 2) return Result::failure("missing subcommand after '" + words[0] + "'");
  auto spec = std::find_if(specs.begin(), specs.end(), [&](const VerbSpec& s) {
    return s.group == words[0] && s.name == words[1];
  });
  if (spec == specs.end()) {
    return Result::failure("unknown command '" + words[0] + " " + words[1] + "'");
  }
  std::string command_name = words[0] + " " + words[1];
  std::size_t given = words.size() - 2;
  if (given < spec->positionals.size()) {
    return Result::failure(command_name + ": missing " + arg_name(spec->positionals[given]));
  }
  if (given > spec->positionals.size()) {
    return Result::failure(command_name + ": unexpected argument '" +
                           words[2 + spec->positionals.size()] + "'");
  }

  CtlCommand& cmd = inv.command;
  cmd.verb = spec->verb;
  for (std::size_t k = 0; k < spec->positionals.size(); ++k) {
    const std::string& word = words[2 + k];
    switch (spec->positionals[k]) {
      case Arg::jid:
        cmd.jid = word;
        break;
      case Arg::department:
        cmd.department = word;
        break;
      case Arg::name:
        cmd.name = word;
        break;
      case Arg::room:
        cmd.room = word;
        break;
      case Arg::role:
        cmd.role = word;
        break;
      case Arg::file:
        cmd.file = word;
        break;
    }
  }
  bool takes_password =
      std::find(spec->options.begin(), spec->options.end(), "--password") != spec->options.end();
  if (takes_password) cmd.password_source = PasswordSource::standard_input;
  bool password_given = false;
  for (const auto& [name, value] : options) {
    if (std::find(spec->options.begin(), spec->options.end(), name) == spec->options.end()) {
      bool known = takes_value(name) || name == "--password-stdin" || name == "--admin";
      return Result::failure(known ? command_name + ": option " + name + " does not apply"
                                   : "unknown option " + name);
    }
    if (name == "--password" || name == "--password-stdin") {
      if (password_given) {
        return Result::failure(command_name + ": give either --password or --password-stdin");
      }
      password_given = true;
      if (name == "--password") {
        cmd.password_source = PasswordSource::argument;
        cmd.password = value;
      }
    } else if (name == "--description") {
      cmd.description = value;
    } else if (name == "--parent") {
      cmd.parent = value;
    } else if (name == "--admin") {
      cmd.admin = true;
    } else if (name == "--creator") {
      cmd.creators.push_back(value);
    } else if (name == "--category") {
      cmd.category = value;
    } else if (name == "--id") {
      cmd.room_id = value;
    } else if (name == "--type") {
      cmd.type = value;
    } else if (name == "--privacy") {
      cmd.privacy = value;
    } else if (name == "--manager") {
      cmd.manager = value;
    }
  }
  return inv;
}

}  // namespace parley::app
