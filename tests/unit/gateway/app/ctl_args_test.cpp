#include "gateway/app/ctl_args.hpp"

#include <gtest/gtest.h>

namespace parley::app {
namespace {

CtlInvocation parse_ok(std::vector<std::string> args) {
  auto r = parse_ctl_args(args);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  return r.ok() ? r.value() : CtlInvocation{};
}

std::string parse_error(std::vector<std::string> args) {
  auto r = parse_ctl_args(args);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error();
}

TEST(CtlArgs, AccountAddWithPasswordArgument) {
  auto inv = parse_ok(
      {"--config", "/etc/parley.jsonc", "account", "add", "bob@localhost", "--password", "s3cret"});
  EXPECT_EQ(inv.config, std::filesystem::path("/etc/parley.jsonc"));
  EXPECT_FALSE(inv.json);
  EXPECT_EQ(inv.command.verb, CtlVerb::account_add);
  EXPECT_EQ(inv.command.jid, "bob@localhost");
  EXPECT_EQ(inv.command.password_source, PasswordSource::argument);
  EXPECT_EQ(inv.command.password, "s3cret");
}

TEST(CtlArgs, PasswordDefaultsToStandardInput) {
  auto inv = parse_ok({"account", "add", "bob@localhost"});
  EXPECT_EQ(inv.command.password_source, PasswordSource::standard_input);
  inv = parse_ok({"account", "passwd", "bob@localhost", "--password-stdin"});
  EXPECT_EQ(inv.command.verb, CtlVerb::account_passwd);
  EXPECT_EQ(inv.command.password_source, PasswordSource::standard_input);
  inv = parse_ok({"account", "remove", "bob@localhost"});
  EXPECT_EQ(inv.command.password_source, PasswordSource::none);
}

TEST(CtlArgs, AccountImportTakesAFileOrStandardInput) {
  auto inv = parse_ok({"account", "import", "/tmp/accounts.txt"});
  EXPECT_EQ(inv.command.verb, CtlVerb::account_import);
  EXPECT_EQ(inv.command.file, "/tmp/accounts.txt");
  EXPECT_EQ(inv.command.password_source, PasswordSource::none);
  EXPECT_EQ(parse_ok({"account", "import", "-"}).command.file, "-");
  EXPECT_EQ(parse_error({"account", "import"}), "account import: missing FILE");
  EXPECT_EQ(parse_error({"account", "import", "a.txt", "--password", "x"}),
            "account import: option --password does not apply");
}

TEST(CtlArgs, GlobalOptionsMayFollowTheCommand) {
  auto inv = parse_ok({"account", "list", "--json", "--config=p.jsonc"});
  EXPECT_EQ(inv.command.verb, CtlVerb::account_list);
  EXPECT_TRUE(inv.json);
  EXPECT_EQ(inv.config, std::filesystem::path("p.jsonc"));
}

TEST(CtlArgs, PasswordMayLookLikeAnOption) {
  auto inv = parse_ok({"account", "add", "bob@localhost", "--password", "--json"});
  EXPECT_EQ(inv.command.password, "--json");
  EXPECT_FALSE(inv.json);
}

TEST(CtlArgs, DepartmentCommands) {
  auto inv = parse_ok(
      {"department", "add", "Sales", "--description", "Sells things", "--parent", "Company"});
  EXPECT_EQ(inv.command.verb, CtlVerb::department_add);
  EXPECT_EQ(inv.command.department, "Sales");
  EXPECT_EQ(inv.command.description, "Sells things");
  EXPECT_EQ(inv.command.parent, "Company");

  inv = parse_ok({"department", "add-member", "Sales", "ann@localhost", "--admin"});
  EXPECT_EQ(inv.command.verb, CtlVerb::department_add_member);
  EXPECT_EQ(inv.command.department, "Sales");
  EXPECT_EQ(inv.command.jid, "ann@localhost");
  EXPECT_TRUE(inv.command.admin);

  EXPECT_EQ(parse_ok({"department", "remove-member", "Sales", "ann@localhost"}).command.verb,
            CtlVerb::department_remove_member);
  EXPECT_EQ(parse_ok({"department", "members", "Sales"}).command.verb, CtlVerb::department_members);
  EXPECT_EQ(parse_ok({"department", "list"}).command.verb, CtlVerb::department_list);
  EXPECT_EQ(parse_ok({"department", "remove", "Sales"}).command.verb, CtlVerb::department_remove);
  EXPECT_FALSE(parse_ok({"department", "add-member", "Sales", "ann@localhost"}).command.admin);
}

TEST(CtlArgs, HelpWins) {
  EXPECT_TRUE(parse_ok({"account", "--help"}).help);
  EXPECT_TRUE(parse_ok({"-h"}).help);
}

TEST(CtlArgs, UsageErrors) {
  EXPECT_EQ(parse_error({}), "missing command");
  EXPECT_EQ(parse_error({"--json"}), "missing command");
  EXPECT_EQ(parse_error({"acount", "add", "bob@localhost"}), "unknown command 'acount'");
  EXPECT_EQ(parse_error({"account"}), "missing subcommand after 'account'");
  EXPECT_EQ(parse_error({"account", "frobnicate"}), "unknown command 'account frobnicate'");
  EXPECT_EQ(parse_error({"account", "add"}), "account add: missing JID");
  EXPECT_EQ(parse_error({"department", "add-member", "Sales"}),
            "department add-member: missing JID");
  EXPECT_EQ(parse_error({"department", "members"}), "department members: missing DEPARTMENT");
  EXPECT_EQ(parse_error({"account", "list", "extra"}), "account list: unexpected argument 'extra'");
  EXPECT_EQ(parse_error({"account", "list", "--frob"}), "unknown option --frob");
  EXPECT_EQ(parse_error({"account", "add", "bob@localhost", "--admin"}),
            "account add: option --admin does not apply");
  EXPECT_EQ(parse_error({"account", "add", "bob@localhost", "--password"}),
            "option --password needs a value");
  EXPECT_EQ(parse_error({"account", "add", "b@localhost", "--password", "x", "--password-stdin"}),
            "account add: give either --password or --password-stdin");
  EXPECT_EQ(parse_error({"account", "list", "--json=yes"}), "option --json takes no value");
  EXPECT_EQ(parse_error({"account", "list", "--admin=1"}), "option --admin takes no value");
  EXPECT_EQ(parse_error({"--config", "", "account", "list"}), "option --config needs a file name");
}

TEST(CtlArgs, UsageMentionsEveryCommand) {
  std::string usage = ctl_usage();
  for (const char* c :
       {"account add", "account remove", "account list", "account passwd", "department add",
        "department remove", "department list", "department add-member", "department remove-member",
        "department members", "--json", "--config"}) {
    EXPECT_NE(usage.find(c), std::string::npos) << c;
  }
}

}  // namespace
}  // namespace parley::app
