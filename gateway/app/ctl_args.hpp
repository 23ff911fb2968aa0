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
  account_import,  // many accounts from a list (ctl_account_import.hpp)
  department_add,
  department_remove,
  department_list,
  department_add_member,
  department_remove_member,
  department_members,
  // Persistent rooms (docs/rooms.md), written to the store directly; parleyd reloads on SIGHUP.
  category_add,
  category_remove,
  category_list,
  room_create,
  room_delete,
  room_list,
  room_role,
  // Compliance (docs/compliance.md): read-only status of the outbox and exporters.
  compliance_status,
};

// The room and category commands (ctl_room_commands.cpp).
inline bool is_room_verb(CtlVerb verb) {
  return verb >= CtlVerb::category_add && verb <= CtlVerb::room_role;
}

// The compliance commands (ctl_compliance_commands.cpp).
inline bool is_compliance_verb(CtlVerb verb) {
  return verb == CtlVerb::compliance_status;
}

enum class PasswordSource {
  none,            // the command takes no password
  argument,        // --password P
  standard_input,  // --password-stdin, or no password option: one line from standard input
};

struct CtlCommand {
  CtlVerb verb = CtlVerb::account_list;
  std::string jid;         // account commands, add-member, remove-member
  std::string file;        // account import: the list's file name, "-" for standard input
  std::string input;       // account import: the list's text (parleyctl reads `file`)
  std::string department;  // department commands
  std::string description;
  std::string parent;
  bool admin = false;  // add-member --admin
  // category and room commands
  std::string name;                   // category add/remove, room create (the room's name)
  std::string room;                   // room delete/role: the room id
  std::string role;                   // room role: none|member|presenter|manager
  std::string category;               // room create --category
  std::string room_id;                // room create --id (default: derived from the name)
  std::string type;                   // room create --type normal|auditorium
  std::string privacy;                // room create --privacy open|closed|secret
  std::string manager;                // room create --manager JID
  std::vector<std::string> creators;  // category add --creator JID-or-domain (repeatable)
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
