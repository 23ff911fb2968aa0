// `parleyctl account import`: the list's format, its all-or-nothing validation, and the
// accounts it creates, against a real SQLite database in a temporary directory.
#include "gateway/app/ctl_account_import.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "gateway/auth/scram.hpp"
#include "gateway/storage/database.hpp"
#include "mapping/model/address.hpp"
#include "tests/unit/gateway/app/ctl_database_fixture.hpp"

namespace parley::app {
namespace {

TEST(AccountList, JidThenTheRestOfTheLineAsPassword) {
  auto list = parse_account_list(
      "# exported 2026-12-03\n"
      "ann@localhost  pass word \r\n"
      "\n"
      "   \t\n"
      "\tbob@localhost\tsecret\n"
      "carl@localhost x");
  ASSERT_TRUE(list.ok()) << list.error();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].line, 2u);
  EXPECT_EQ((*list)[0].jid, "ann@localhost");
  EXPECT_EQ((*list)[0].password, "pass word ");  // inner and trailing blanks are the password's
  EXPECT_EQ((*list)[1].line, 5u);
  EXPECT_EQ((*list)[1].jid, "bob@localhost");
  EXPECT_EQ((*list)[1].password, "secret");
  EXPECT_EQ((*list)[2].line, 6u);  // no newline at the end
  EXPECT_EQ((*list)[2].password, "x");
}

TEST(AccountList, EveryLineWithoutAPasswordIsNamed) {
  auto list = parse_account_list("ann@localhost pw\nbob@localhost\ncarl@localhost   \n");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error(), "line 2: no password after the JID\nline 3: no password after the JID");
}

TEST(AccountList, AtMostTwentyProblemsAreListed) {
  std::string text;
  for (int i = 0; i < 25; ++i) text += "user" + std::to_string(i) + "@localhost\n";
  auto list = parse_account_list(text);
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().find("line 20: no password"), std::string::npos);
  EXPECT_EQ(list.error().find("line 21:"), std::string::npos);
  EXPECT_NE(list.error().find("... and 5 more"), std::string::npos);
}

class AccountImportTest : public CtlDatabaseTest {
 protected:
  CtlOutput import(std::string_view text, unsigned threads = 2) {
    api::Stores stores = db_->stores();
    return import_accounts(text, stores, domains_, threads);
  }
  bool password_works(const char* jid, std::string_view password) {
    auto credentials = db_->stores().accounts.credentials(model::Address::parse(jid).value());
    return credentials &&
           auth::verify_password(credentials->sha256, auth::ScramHash::sha256, password);
  }

  std::vector<std::string> domains_{"localhost", "example.org"};
};

TEST_F(AccountImportTest, CreatesEveryAccountWithItsOwnPassword) {
  std::string text;
  for (int i = 0; i < 9; ++i)
    text += "user" + std::to_string(i) + "@localhost pw " + std::to_string(i) + "\n";
  text += "Ann@Example.org  ann's password\n";
  CtlOutput out = import(text, 3);
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_TRUE(out.changed);
  EXPECT_EQ(out.text, "imported 10 accounts");
  EXPECT_EQ(out.data["added"], 10);
  EXPECT_EQ(db_->stores().accounts.list().size(), 10u);
  EXPECT_TRUE(password_works("user7@localhost", "pw 7"));
  EXPECT_FALSE(password_works("user7@localhost", "pw 6"));
  EXPECT_TRUE(password_works("ann@example.org", "ann's password"));  // stored prepared
  // The SIP digest credential is made as `account add` makes it.
  auto ann = db_->stores().accounts.credentials(model::Address::parse("ann@example.org").value());
  ASSERT_TRUE(ann.has_value());
  EXPECT_FALSE(ann->sip.ha1_md5.empty());
}

TEST_F(AccountImportTest, OneBadLineAndNothingIsWritten) {
  CtlOutput out = import(
      "ann@localhost pw\n"
      "bob@elsewhere.net pw\n"
      "carl@localhost/phone pw\n"
      "ann@LOCALHOST other\n");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error,
            "nothing imported:\n"
            "line 2: domain elsewhere.net is not served here (domains: localhost, example.org)\n"
            "line 3: invalid JID 'carl@localhost/phone': an account is user@domain\n"
            "line 4: ann@localhost is listed twice");
  EXPECT_TRUE(db_->stores().accounts.list().empty());
  EXPECT_EQ(import("# only a comment\n").error, "nothing imported: the list has no accounts");
}

TEST_F(AccountImportTest, ExistingAccountsAreKeptAndReported) {
  ASSERT_TRUE(import("ann@localhost first\n").ok);
  CtlOutput out = import("ann@localhost second\nbob@localhost pw\n", 1);
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.text, "imported 1 account; 1 already existed, left unchanged:\n  ann@localhost");
  EXPECT_EQ(out.data["existing"], nlohmann::json::array({"ann@localhost"}));
  EXPECT_TRUE(password_works("ann@localhost", "first"));
  EXPECT_FALSE(password_works("ann@localhost", "second"));
  EXPECT_TRUE(password_works("bob@localhost", "pw"));

  out = import("ann@localhost again\n");  // a re-run changes nothing
  ASSERT_TRUE(out.ok);
  EXPECT_FALSE(out.changed);
  EXPECT_EQ(out.data["added"], 0);
}

}  // namespace
}  // namespace parley::app
