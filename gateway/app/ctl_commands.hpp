#pragma once
// parleyctl's commands, run synchronously against the stores of the same database parleyd
// uses (SQLite WAL + busy timeout let both write). Pure over api::Stores, so tests run them
// against a real database file without a process around them.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gateway/api/stores.hpp"
#include "gateway/app/ctl_args.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/expected.hpp"

namespace parley::app {

struct CtlOutput {
  bool ok = true;
  std::string error;                               // with ok == false
  std::string text;                                // human-readable result (may be empty)
  nlohmann::json data = nlohmann::json::object();  // machine-readable result fields
  bool changed = false;  // the database changed: a running parleyd reloads
};

// A failed command's output.
CtlOutput ctl_failure(std::string error);

// An account's address: a bare user@domain (RFC 7622 §3) under one of `domains`, prepared.
model::Expected<model::Address> parse_account_address(const std::string& text,
                                                      const std::vector<std::string>& domains);

// `command.password` must already hold the password for add/passwd (the caller reads stdin).
// `domains`: the configured domains; a JID's domain must be one of them.
CtlOutput run_ctl_command(const CtlCommand& command, api::Stores& stores,
                          const std::vector<std::string>& domains);

// {"ok":true,...data} or {"ok":false,"error":"..."} with --json; else the text or the error.
std::string render_ctl_output(const CtlOutput& output, bool json);

}  // namespace parley::app
