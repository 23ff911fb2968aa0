// parleyctl: administer accounts and departments in parleyd's database (also while parleyd
// runs). See `parleyctl --help` and docs/admin.md.
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "gateway/app/app_config.hpp"
#include "gateway/app/ctl_args.hpp"
#include "gateway/app/ctl_commands.hpp"
#include "gateway/app/ctl_compliance_commands.hpp"
#include "gateway/app/ctl_room_commands.hpp"
#include "gateway/app/reload_notify.hpp"
#include "gateway/log/log.hpp"
#include "gateway/storage/compliance/compliance_store.hpp"
#include "gateway/storage/database.hpp"
#include "gateway/storage/rooms/room_store.hpp"

namespace {

using namespace parley;

int fail(bool json, const std::string& error) {
  app::CtlOutput out;
  out.ok = false;
  out.error = error;
  (json ? std::cout : std::cerr) << app::render_ctl_output(out, json) << std::endl;
  return 1;
}

// RFC-less but conventional: one line, without the newline (and a CR from a Windows pipe).
bool read_password_line(std::string& password) {
  if (!std::getline(std::cin, password)) return false;
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return true;
}

// The whole list for `account import`, from the named file or ("-") standard input.
bool read_list(const std::string& file, std::string& text) {
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = app::parse_ctl_args(args);
  if (!parsed) {
    bool json = false;
    for (const auto& a : args) json = json || a == "--json";
    if (json) {
      app::CtlOutput out;
      out.ok = false;
      out.error = parsed.error();
      std::cout << app::render_ctl_output(out, true) << std::endl;
    } else {
      std::cerr << "parleyctl: " << parsed.error() << "\n\n" << app::ctl_usage();
    }
    return 2;
  }
  app::CtlInvocation inv = std::move(parsed).value();
  if (inv.help) {
    std::cout << app::ctl_usage();
    return 0;
  }
  auto config = app::load_app_config(inv.config, config::CheckOptions{.files = false});
  if (!config) {
    std::string all;
    for (const auto& p : config.error()) all += (all.empty() ? "" : "; ") + p;
    return fail(inv.json, "configuration: " + all);
  }
  // Only problems go to stderr: parleyctl's output is its result.
  log::configure(log::Level::warn, config->log_format);
  if (inv.command.password_source == app::PasswordSource::standard_input) {
    if (!read_password_line(inv.command.password)) {
      return fail(inv.json, "no password given (use --password, or one line on standard input)");
    }
  }
  if (inv.command.verb == app::CtlVerb::account_import &&
      !read_list(inv.command.file, inv.command.input)) {
    return fail(inv.json, "cannot read the account list " + inv.command.file);
  }
  try {
    auto database = storage::Database::open(config->store_path);
    if (!database) return fail(inv.json, database.error());
    api::Stores stores = (*database)->stores();
    storage::SqliteRoomStore rooms((*database)->sql(), &(*database)->statements(),
                                   &(*database)->room_index());
    storage::SqliteComplianceOutbox compliance((*database)->sql(), &(*database)->statements());
    app::CtlOutput out =
        app::is_compliance_verb(inv.command.verb)
            ? app::run_compliance_command(inv.command, compliance, config->compliance,
                                          std::chrono::system_clock::now())
        : app::is_room_verb(inv.command.verb)
            ? app::run_room_command(inv.command, rooms, config->core.domains)
            : app::run_ctl_command(inv.command, stores, config->core.domains);
    if (out.ok && out.changed) app::notify_reload(config->ready_file());
    if (!out.ok) return fail(inv.json, out.error);
    std::string text = app::render_ctl_output(out, inv.json);
    if (!text.empty()) std::cout << text << std::endl;
    return 0;
  } catch (const std::exception& e) {
    return fail(inv.json, std::string("database error: ") + e.what());
  }
}
