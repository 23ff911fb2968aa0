// parleyctl's room and category commands against a real SQLite database, and their parsing.
#include "gateway/app/ctl_room_commands.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "gateway/app/ctl_args.hpp"
#include "gateway/storage/database.hpp"
#include "gateway/storage/rooms/room_store.hpp"
#include "tests/unit/gateway/app/ctl_database_fixture.hpp"

namespace parley::app {
namespace {

class CtlRoomCommandsTest : public CtlDatabaseTest {
 protected:
  void SetUp() override {
    CtlDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    rooms_ = std::make_unique<storage::SqliteRoomStore>(db_->sql());
  }
  void TearDown() override {
    rooms_.reset();
    CtlDatabaseTest::TearDown();
  }

  CtlOutput run(const std::vector<std::string>& args) {
    auto parsed = parse_ctl_args(args);
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error());
    if (!parsed) return CtlOutput{false, "usage"};
    EXPECT_TRUE(is_room_verb(parsed->command.verb));
    return run_room_command(parsed->command, *rooms_, domains_);
  }
  void add_account(const char* jid) {
    auto stores = db_->stores();
    stores.accounts.create(model::Address::parse(jid).value(), api::Credentials{});
  }

  std::unique_ptr<storage::SqliteRoomStore> rooms_;
  std::vector<std::string> domains_{"localhost"};
};

TEST_F(CtlRoomCommandsTest, CategoriesAndRooms) {
  auto added =
      run({"category", "add", "teams", "--description", "Team rooms", "--creator", "localhost"});
  ASSERT_TRUE(added.ok) << added.error;
  EXPECT_TRUE(added.changed);
  auto listed = run({"category", "list"});
  ASSERT_EQ(listed.data["categories"].size(), 1u);
  EXPECT_EQ(listed.data["categories"][0]["creators"][0], "localhost");

  add_account("alice@localhost");
  auto created = run({"room", "create", "Board Room!", "--category", "teams", "--type",
                      "auditorium", "--privacy", "secret", "--manager", "alice@localhost"});
  ASSERT_TRUE(created.ok) << created.error;
  EXPECT_EQ(created.data["room"]["id"], "board-room");
  EXPECT_EQ(created.data["room"]["type"], "auditorium");
  EXPECT_EQ(created.data["room"]["privacy"], "secret");
  ASSERT_EQ(rooms_->members("board-room").size(), 1u);
  EXPECT_EQ(rooms_->members("board-room")[0].role, model::RoomRole::manager);

  add_account("bob@localhost");
  auto role = run({"room", "role", "board-room", "bob@localhost", "presenter"});
  ASSERT_TRUE(role.ok) << role.error;
  EXPECT_EQ(rooms_->members("board-room").size(), 2u);

  EXPECT_FALSE(run({"category", "remove", "teams"}).ok);  // still used
  auto list = run({"room", "list"});
  ASSERT_EQ(list.data["rooms"].size(), 1u);
  ASSERT_TRUE(run({"room", "delete", "board-room"}).ok);
  EXPECT_TRUE(rooms_->rooms().empty());
  EXPECT_TRUE(run({"category", "remove", "teams"}).ok);
}

TEST_F(CtlRoomCommandsTest, Errors) {
  EXPECT_FALSE(run({"room", "create", "x", "--category", "nope"}).ok);
  ASSERT_TRUE(run({"category", "add", "general"}).ok);
  EXPECT_FALSE(run({"room", "create", "x", "--category", "general", "--id", "Bad Id"}).ok);
  EXPECT_FALSE(run({"room", "create", "x", "--category", "general", "--type", "huge"}).ok);
  ASSERT_TRUE(run({"room", "create", "x", "--category", "general"}).ok);
  EXPECT_FALSE(run({"room", "create", "X", "--category", "general"}).ok);  // name taken
  EXPECT_FALSE(run({"room", "role", "x", "bob@localhost", "emperor"}).ok);
  EXPECT_FALSE(run({"room", "role", "missing", "bob@localhost", "member"}).ok);
  EXPECT_FALSE(run({"room", "delete", "missing"}).ok);
  EXPECT_FALSE(run({"category", "add", "c", "--creator", "user@elsewhere.org"}).ok);
  EXPECT_FALSE(parse_ctl_args({"room", "role", "x", "bob@localhost"}).ok());  // missing ROLE
}

TEST(RoomIdFromName, KeepsLettersAndDigits) {
  EXPECT_EQ(room_id_from_name("Team Alpha"), "team-alpha");
  EXPECT_EQ(room_id_from_name("  Q3 -- Plans! "), "q3-plans");
  EXPECT_EQ(room_id_from_name("!!!"), "");
  EXPECT_EQ(room_id_from_name(std::string(100, 'a')).size(), 64u);
}

}  // namespace
}  // namespace parley::app
