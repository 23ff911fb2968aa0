#include "gateway/app/ctl_commands.hpp"

#include <algorithm>
#include <thread>

#include "gateway/app/ctl_account_import.hpp"
#include "gateway/auth/digest_credential.hpp"
#include "gateway/auth/scram.hpp"
#include "mapping/model/address.hpp"

namespace parley::app {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

}  // namespace

CtlOutput ctl_failure(std::string error) {
  CtlOutput out;
  out.ok = false;
  out.error = std::move(error);
  return out;
}

model::Expected<model::Address> parse_account_address(const std::string& text,
                                                      const std::vector<std::string>& domains) {
  using Result = model::Expected<model::Address>;
  auto address = model::Address::parse(text);
  if (!address) return Result::failure("invalid JID '" + text + "': " + address.error());
  if (address->local().empty() || !address->is_bare()) {
    return Result::failure("invalid JID '" + text + "': an account is user@domain");
  }
  if (std::find(domains.begin(), domains.end(), address->domain()) == domains.end()) {
    return Result::failure("domain " + address->domain() +
                           " is not served here (domains: " + join(domains, ", ") + ")");
  }
  return address;
}

namespace {

std::string no_account(const model::Address& a) {
  return "account " + a.bare_string() + " does not exist";
}
std::string no_department(const std::string& name) {
  return "department " + name + " does not exist";
}

CtlOutput set_password(const CtlCommand& c, api::Stores& stores, const model::Address& account,
                       bool create) {
  if (c.password.empty()) return ctl_failure("the password must not be empty");
  // Only salted SCRAM keys and the SIP digest HA1s are stored, never the password (RFC 5802 §3,
  // RFC 3261 §22.4).
  api::Credentials credentials = auth::make_credentials(c.password, account);
  CtlOutput out;
  out.data["account"] = account.bare_string();
  if (create) {
    if (!stores.accounts.create(account, credentials)) {
      return ctl_failure("account " + account.bare_string() + " already exists");
    }
    out.text = "account " + account.bare_string() + " added";
  } else {
    if (!stores.accounts.exists(account)) return ctl_failure(no_account(account));
    if (!stores.accounts.set_credentials(account, credentials))
      return ctl_failure(no_account(account));
    out.text = "password of " + account.bare_string() + " changed";
  }
  out.changed = true;
  return out;
}

CtlOutput account_command(const CtlCommand& c, api::Stores& stores,
                          const std::vector<std::string>& domains) {
  if (c.verb == CtlVerb::account_list) {
    CtlOutput out;
    out.data["accounts"] = json::array();
    for (const auto& a : stores.accounts.list()) {
      out.data["accounts"].push_back(a.bare_string());
      out.text += a.bare_string() + "\n";
    }
    if (!out.text.empty()) out.text.pop_back();
    return out;
  }
  auto account = parse_account_address(c.jid, domains);
  if (!account) return ctl_failure(account.error());
  switch (c.verb) {
    case CtlVerb::account_add:
      return set_password(c, stores, *account, /*create=*/true);
    case CtlVerb::account_passwd:
      return set_password(c, stores, *account, /*create=*/false);
    case CtlVerb::account_remove: {
      if (!stores.accounts.remove(*account)) return ctl_failure(no_account(*account));
      CtlOutput out;
      out.data["account"] = account->bare_string();
      out.text = "account " + account->bare_string() + " removed";
      out.changed = true;
      return out;
    }
    default:
      return ctl_failure("not an account command");
  }
}

json department_json(const api::Department& d) {
  return {{"name", d.name}, {"description", d.description}, {"parent", d.parent}};
}

CtlOutput department_add(const CtlCommand& c, api::Stores& stores) {
  auto& dir = stores.directory;
  if (c.department.empty()) return ctl_failure("the department name must not be empty");
  if (dir.department(c.department))
    return ctl_failure("department " + c.department + " already exists");
  if (!c.parent.empty() && !dir.department(c.parent)) {
    return ctl_failure("parent department " + c.parent + " does not exist");
  }
  api::Department d{c.department, c.description, c.parent};
  if (!dir.create_department(d)) return ctl_failure("cannot create department " + c.department);
  CtlOutput out;
  out.data["department"] = department_json(d);
  out.text = "department " + c.department + " added";
  out.changed = true;
  return out;
}

CtlOutput department_command(const CtlCommand& c, api::Stores& stores,
                             const std::vector<std::string>& domains) {
  auto& dir = stores.directory;
  switch (c.verb) {
    case CtlVerb::department_add:
      return department_add(c, stores);
    case CtlVerb::department_list: {
      CtlOutput out;
      out.data["departments"] = json::array();
      for (const auto& d : dir.departments()) {
        out.data["departments"].push_back(department_json(d));
        out.text += d.name;
        if (!d.parent.empty()) out.text += " (in " + d.parent + ")";
        if (!d.description.empty()) out.text += ": " + d.description;
        out.text += "\n";
      }
      if (!out.text.empty()) out.text.pop_back();
      return out;
    }
    case CtlVerb::department_remove: {
      if (!dir.remove_department(c.department)) return ctl_failure(no_department(c.department));
      CtlOutput out;
      out.data["department"] = c.department;
      out.text = "department " + c.department + " removed";
      out.changed = true;
      return out;
    }
    case CtlVerb::department_members: {
      if (!dir.department(c.department)) return ctl_failure(no_department(c.department));
      CtlOutput out;
      out.data["department"] = c.department;
      out.data["members"] = json::array();
      for (const auto& m : dir.members(c.department)) {
        out.data["members"].push_back({{"jid", m.user.bare_string()}, {"admin", m.admin}});
        out.text += m.user.bare_string() + (m.admin ? " (admin)" : "") + "\n";
      }
      if (!out.text.empty()) out.text.pop_back();
      return out;
    }
    default:
      break;
  }
  // add-member / remove-member
  auto account = parse_account_address(c.jid, domains);
  if (!account) return ctl_failure(account.error());
  if (!dir.department(c.department)) return ctl_failure(no_department(c.department));
  CtlOutput out;
  out.data["department"] = c.department;
  out.data["jid"] = account->bare_string();
  out.changed = true;
  if (c.verb == CtlVerb::department_add_member) {
    if (!stores.accounts.exists(*account)) return ctl_failure(no_account(*account));
    if (!dir.add_member(c.department, api::DepartmentMember{*account, c.admin})) {
      return ctl_failure("cannot add " + account->bare_string() + " to " + c.department);
    }
    out.data["admin"] = c.admin;
    out.text = account->bare_string() + " added to " + c.department + (c.admin ? " as admin" : "");
    return out;
  }
  if (!dir.remove_member(c.department, *account)) {
    return ctl_failure(account->bare_string() + " is not a member of " + c.department);
  }
  out.text = account->bare_string() + " removed from " + c.department;
  return out;
}

}  // namespace

CtlOutput run_ctl_command(const CtlCommand& command, api::Stores& stores,
                          const std::vector<std::string>& domains) {
  switch (command.verb) {
    case CtlVerb::account_add:
    case CtlVerb::account_remove:
    case CtlVerb::account_list:
    case CtlVerb::account_passwd:
      return account_command(command, stores, domains);
    case CtlVerb::account_import:
      return import_accounts(command.input, stores, domains, std::thread::hardware_concurrency());
    default:
      return department_command(command, stores, domains);
  }
}

std::string render_ctl_output(const CtlOutput& output, bool as_json) {
  if (as_json) {
    json j;
    j["ok"] = output.ok;
    if (output.ok) {
      for (const auto& [key, value] : output.data.items()) j[key] = value;
    } else {
      j["error"] = output.error;
    }
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return output.ok ? output.text : "parleyctl: " + output.error;
}

}  // namespace parley::app
