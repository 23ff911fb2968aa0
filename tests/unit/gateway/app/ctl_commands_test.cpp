// parleyctl's commands against a real SQLite database in a temporary directory.
#include "gateway/app/ctl_commands.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "gateway/auth/scram.hpp"
#include "gateway/storage/database.hpp"
#include "mapping/model/address.hpp"
#include "tests/unit/gateway/app/ctl_database_fixture.hpp"

namespace parley::app {
namespace {

using ::testing::ElementsAre;

class CtlCommandsTest : public CtlDatabaseTest {
 protected:
  CtlOutput run(CtlCommand c) {
    api::Stores stores = db_->stores();
    return run_ctl_command(c, stores, domains_);
  }
  CtlOutput account(CtlVerb verb, std::string jid, std::string password = {}) {
    CtlCommand c;
    c.verb = verb;
    c.jid = std::move(jid);
    c.password = std::move(password);
    c.password_source = PasswordSource::argument;
    return run(c);
  }
  CtlOutput department(CtlVerb verb, std::string name, std::string jid = {}, bool admin = false) {
    CtlCommand c;
    c.verb = verb;
    c.department = std::move(name);
    c.jid = std::move(jid);
    c.admin = admin;
    return run(c);
  }
  static model::Address addr(const char* s) { return model::Address::parse(s).value(); }

  std::vector<std::string> domains_{"localhost", "example.org"};
};

TEST_F(CtlCommandsTest, AddListRemoveAccount) {
  CtlOutput out = account(CtlVerb::account_add, "Bob@LocalHost", "pw1");
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_TRUE(out.changed);
  EXPECT_EQ(out.text, "account bob@localhost added");  // stored in prepared form
  EXPECT_TRUE(account(CtlVerb::account_add, "ann@example.org", "pw2").ok);

  out = run(CtlCommand{.verb = CtlVerb::account_list});
  ASSERT_TRUE(out.ok);
  EXPECT_FALSE(out.changed);
  EXPECT_EQ(out.text, "ann@example.org\nbob@localhost");
  EXPECT_EQ(render_ctl_output(out, true),
            R"({"accounts":["ann@example.org","bob@localhost"],"ok":true})");

  out = account(CtlVerb::account_remove, "bob@localhost");
  ASSERT_TRUE(out.ok);
  EXPECT_EQ(out.text, "account bob@localhost removed");
  EXPECT_FALSE(db_->stores().accounts.exists(addr("bob@localhost")));
}

TEST_F(CtlCommandsTest, PasswordsAreStoredAsScramCredentialsOnly) {
  ASSERT_TRUE(account(CtlVerb::account_add, "bob@localhost", "old password").ok);
  auto creds = db_->stores().accounts.credentials(addr("bob@localhost"));
  ASSERT_TRUE(creds.has_value());
  EXPECT_TRUE(auth::verify_password(creds->sha256, auth::ScramHash::sha256, "old password"));

  CtlOutput out = account(CtlVerb::account_passwd, "bob@localhost", "new password");
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.text, "password of bob@localhost changed");
  creds = db_->stores().accounts.credentials(addr("bob@localhost"));
  EXPECT_TRUE(auth::verify_password(creds->sha256, auth::ScramHash::sha256, "new password"));
  EXPECT_TRUE(auth::verify_password(creds->sha1, auth::ScramHash::sha1, "new password"));
  EXPECT_FALSE(auth::verify_password(creds->sha256, auth::ScramHash::sha256, "old password"));
}

TEST_F(CtlCommandsTest, AccountErrors) {
  ASSERT_TRUE(account(CtlVerb::account_add, "bob@localhost", "pw").ok);
  EXPECT_EQ(account(CtlVerb::account_add, "bob@localhost", "pw").error,
            "account bob@localhost already exists");
  EXPECT_EQ(account(CtlVerb::account_remove, "carol@localhost").error,
            "account carol@localhost does not exist");
  EXPECT_EQ(account(CtlVerb::account_passwd, "carol@localhost", "x").error,
            "account carol@localhost does not exist");
  EXPECT_EQ(account(CtlVerb::account_add, "dave@elsewhere.net", "pw").error,
            "domain elsewhere.net is not served here (domains: localhost, example.org)");
  EXPECT_EQ(account(CtlVerb::account_add, "localhost", "pw").error,
            "invalid JID 'localhost': an account is user@domain");
  EXPECT_EQ(account(CtlVerb::account_add, "eve@localhost/phone", "pw").error,
            "invalid JID 'eve@localhost/phone': an account is user@domain");
  EXPECT_EQ(account(CtlVerb::account_add, "eve@localhost", "").error,
            "the password must not be empty");
  CtlOutput failed = account(CtlVerb::account_remove, "carol@localhost");
  EXPECT_FALSE(failed.ok);
  EXPECT_FALSE(failed.changed);
  EXPECT_EQ(render_ctl_output(failed, true),
            R"({"error":"account carol@localhost does not exist","ok":false})");
  EXPECT_EQ(render_ctl_output(failed, false), "parleyctl: account carol@localhost does not exist");
}

TEST_F(CtlCommandsTest, Departments) {
  CtlCommand add{.verb = CtlVerb::department_add, .department = "Company"};
  ASSERT_TRUE(run(add).ok);
  CtlCommand sales{.verb = CtlVerb::department_add,
                   .department = "Sales",
                   .description = "Sells things",
                   .parent = "Company"};
  CtlOutput out = run(sales);
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.text, "department Sales added");
  EXPECT_EQ(run(sales).error, "department Sales already exists");
  CtlCommand orphan{.verb = CtlVerb::department_add, .department = "X", .parent = "Nowhere"};
  EXPECT_EQ(run(orphan).error, "parent department Nowhere does not exist");

  out = run(CtlCommand{.verb = CtlVerb::department_list});
  ASSERT_TRUE(out.ok);
  EXPECT_EQ(out.text, "Company\nSales (in Company): Sells things");
  EXPECT_EQ(out.data["departments"][1]["parent"], "Company");

  EXPECT_EQ(department(CtlVerb::department_remove, "Nowhere").error,
            "department Nowhere does not exist");
  EXPECT_TRUE(department(CtlVerb::department_remove, "Sales").ok);
  EXPECT_EQ(run(CtlCommand{.verb = CtlVerb::department_list}).text, "Company");
}

TEST_F(CtlCommandsTest, Members) {
  ASSERT_TRUE(run(CtlCommand{.verb = CtlVerb::department_add, .department = "Sales"}).ok);
  ASSERT_TRUE(account(CtlVerb::account_add, "ann@localhost", "pw").ok);
  ASSERT_TRUE(account(CtlVerb::account_add, "bob@localhost", "pw").ok);

  EXPECT_EQ(department(CtlVerb::department_add_member, "Sales", "zed@localhost").error,
            "account zed@localhost does not exist");
  EXPECT_EQ(department(CtlVerb::department_add_member, "Nope", "ann@localhost").error,
            "department Nope does not exist");
  CtlOutput out = department(CtlVerb::department_add_member, "Sales", "ann@localhost", true);
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.text, "ann@localhost added to Sales as admin");
  ASSERT_TRUE(department(CtlVerb::department_add_member, "Sales", "bob@localhost").ok);

  out = department(CtlVerb::department_members, "Sales");
  ASSERT_TRUE(out.ok);
  EXPECT_THAT(db_->stores().directory.members("Sales"),
              ElementsAre(api::DepartmentMember{addr("ann@localhost"), true},
                          api::DepartmentMember{addr("bob@localhost"), false}));
  EXPECT_EQ(out.text, "ann@localhost (admin)\nbob@localhost");
  EXPECT_EQ(render_ctl_output(out, true),
            R"({"department":"Sales","members":[{"admin":true,"jid":"ann@localhost"},)"
            R"({"admin":false,"jid":"bob@localhost"}],"ok":true})");

  EXPECT_TRUE(department(CtlVerb::department_remove_member, "Sales", "bob@localhost").ok);
  EXPECT_EQ(department(CtlVerb::department_remove_member, "Sales", "bob@localhost").error,
            "bob@localhost is not a member of Sales");
  EXPECT_EQ(department(CtlVerb::department_members, "Nope").error,
            "department Nope does not exist");
}

}  // namespace
}  // namespace parley::app
