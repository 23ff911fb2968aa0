#pragma once
// `parleyctl account import FILE`: many accounts in one run (provisioning from a directory
// export; the benchmark suite's 10 000). `account add` per account pays a process start and a
// database open each time (~15 ms); here they are paid once, and the key stretching of the
// passwords (PBKDF2 per SCRAM hash, scram.hpp) runs on every core.
//
// The list: one account per line, "JID PASSWORD". The first run of blanks (spaces or tabs) ends
// the JID, which has none (RFC 7622 §3.3); the password is the rest of the line as written, a
// trailing CR from a Windows file removed. Blank lines and lines starting with '#' are skipped.
//
// Nothing is written unless every line is valid. An account that already exists is left as it
// is, its password unchanged, and reported: an interrupted import can simply be run again.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/api/stores.hpp"
#include "gateway/app/ctl_commands.hpp"
#include "mapping/model/expected.hpp"

namespace parley::app {

struct AccountLine {
  std::size_t line = 0;  // 1-based, for error messages
  std::string jid;
  std::string password;
};

// The accounts of the list, or every malformed line's problem ("line 3: no password"), one per
// line of the error text (at most the first 20, then how many more).
model::Expected<std::vector<AccountLine>> parse_account_list(std::string_view text);

// Validates every JID against `domains`, derives the credentials on `threads` threads, then
// creates the accounts. data: {"added": n, "existing": [jids]}.
CtlOutput import_accounts(std::string_view text, api::Stores& stores,
                          const std::vector<std::string>& domains, unsigned threads);

}  // namespace parley::app
