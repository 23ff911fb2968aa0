#include "gateway/app/ctl_account_import.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "gateway/auth/digest_credential.hpp"

namespace parley::app {
namespace {

constexpr std::size_t kProblemsShown = 20;

// "line N: problem" lines, the first kProblemsShown of them, then a count of the rest.
std::string describe(const std::vector<std::string>& problems) {
  std::string out;
  for (std::size_t i = 0; i < problems.size() && i < kProblemsShown; ++i) {
    if (i > 0) out += '\n';
    out += problems[i];
  }
  if (problems.size() > kProblemsShown) {
    out += "\n... and " + std::to_string(problems.size() - kProblemsShown) + " more";
  }
  return out;
}

// An account of the list not in the store yet: its credentials are derived, then it is created.
struct PendingAccount {
  model::Address address;
  std::string password;
  api::Credentials credentials;
};

// Derives every pending account's credentials, the accounts shared out among `threads`
// workers. The first failure (an exception from the key derivation) stops every worker and is
// rethrown here, on the calling thread, once they have all ended.
void derive_all(std::vector<PendingAccount>& pending, unsigned threads) {
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      for (std::size_t i = next++; i < pending.size(); i = next++) {
        pending[i].credentials = auth::make_credentials(pending[i].password, pending[i].address);
      }
    } catch (...) {
      next = pending.size();
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 1; t < std::min<std::size_t>(threads, pending.size()); ++t) {
      workers.emplace_back(work);
    }
    work();
  }  // the workers join here
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

model::Expected<std::vector<AccountLine>> parse_account_list(std::string_view text) {
  using Result = model::Expected<std::vector<AccountLine>>;
  std::vector<AccountLine> accounts;
  std::vector<std::string> problems;
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t start = std::min(line.find_first_not_of(" \t"), line.size());
    line.remove_prefix(start);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t jid_end = std::min(line.find_first_of(" \t"), line.size());
    const std::size_t password_start = line.find_first_not_of(" \t", jid_end);
    if (password_start == std::string_view::npos) {
      problems.push_back("line " + std::to_string(number) + ": no password after the JID");
      continue;
    }
    accounts.push_back(
        {number, std::string(line.substr(0, jid_end)), std::string(line.substr(password_start))});
  }
  if (!problems.empty()) return Result::failure(describe(problems));
  return accounts;
}

CtlOutput import_accounts(std::string_view text, api::Stores& stores,
                          const std::vector<std::string>& domains, unsigned threads) {
  auto lines = parse_account_list(text);
  if (!lines) return ctl_failure("nothing imported:\n" + lines.error());
  if (lines->empty()) return ctl_failure("nothing imported: the list has no accounts");

  std::vector<model::Address> addresses;
  addresses.reserve(lines->size());
  std::vector<std::string> problems;
  std::set<std::string> seen;
  for (const AccountLine& line : *lines) {
    auto address = parse_account_address(line.jid, domains);
    if (!address) {
      problems.push_back("line " + std::to_string(line.line) + ": " + address.error());
      continue;
    }
    if (!seen.insert(address->bare_string()).second) {
      problems.push_back("line " + std::to_string(line.line) + ": " + address->bare_string() +
                         " is listed twice");
      continue;
    }
    addresses.push_back(std::move(address).value());
  }
  if (!problems.empty()) return ctl_failure("nothing imported:\n" + describe(problems));

  // Accounts that exist already cost no key stretching (a re-run after an interruption is
  // quick); one created meanwhile by someone else is caught by create() below.
  CtlOutput out;
  out.data["existing"] = nlohmann::json::array();
  std::vector<PendingAccount> pending;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (stores.accounts.exists(addresses[i])) {
      out.data["existing"].push_back(addresses[i].bare_string());
    } else {
      pending.push_back({std::move(addresses[i]), std::move((*lines)[i].password), {}});
    }
  }
  derive_all(pending, threads);

  std::size_t added = 0;
  for (const PendingAccount& account : pending) {
    if (stores.accounts.create(account.address, account.credentials)) {
      ++added;
    } else {
      out.data["existing"].push_back(account.address.bare_string());
    }
  }
  out.data["added"] = added;
  out.changed = added > 0;
  out.text = "imported " + std::to_string(added) + (added == 1 ? " account" : " accounts");
  if (const auto& existing = out.data["existing"]; !existing.empty()) {
    out.text += "; " + std::to_string(existing.size()) + " already existed, left unchanged:";
    for (const auto& jid : existing) out.text += "\n  " + jid.get<std::string>();
  }
  return out;
}

}  // namespace parley::app
