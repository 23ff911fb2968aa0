#include "gateway/storage/directory_store.hpp"

#include <gtest/gtest.h>

#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using testing::addr;
using testing::StorageTest;

class DirectoryStoreTest : public StorageTest {
 protected:
  api::Department engineering_{"Engineering", "Builds things", ""};
  api::Department backend_{"Backend", "Servers", "Engineering"};
};

TEST_F(DirectoryStoreTest, CreateAndRead) {
  auto& directory = stores().directory;
  EXPECT_TRUE(directory.departments().empty());
  ASSERT_TRUE(directory.create_department(engineering_));
  ASSERT_TRUE(directory.create_department(backend_));
  EXPECT_EQ(directory.department("Engineering"), engineering_);
  EXPECT_EQ(directory.department("Backend"), backend_);
  EXPECT_EQ(directory.department("Marketing"), std::nullopt);
  EXPECT_EQ(directory.departments(), (std::vector<api::Department>{backend_, engineering_}));
}

TEST_F(DirectoryStoreTest, CreateRefusesDuplicatesAndBadParents) {
  auto& directory = stores().directory;
  ASSERT_TRUE(directory.create_department(engineering_));
  EXPECT_FALSE(directory.create_department({"Engineering", "again", ""}));
  EXPECT_EQ(directory.department("Engineering")->description, "Builds things");
  EXPECT_FALSE(directory.create_department({"Orphan", "", "Nowhere"}));
  EXPECT_FALSE(directory.create_department({"Loop", "", "Loop"}));
  EXPECT_EQ(directory.department("Orphan"), std::nullopt);
  EXPECT_EQ(directory.department("Loop"), std::nullopt);
}

TEST_F(DirectoryStoreTest, Members) {
  auto& directory = stores().directory;
  ASSERT_TRUE(directory.create_department(engineering_));
  ASSERT_TRUE(directory.create_department(backend_));
  EXPECT_TRUE(directory.add_member("Engineering", {carol_, false}));
  EXPECT_TRUE(directory.add_member("Engineering", {alice_, true}));
  EXPECT_TRUE(directory.add_member("Backend", {alice_, false}));
  EXPECT_EQ(directory.members("Engineering"),
            (std::vector<api::DepartmentMember>{{alice_, true}, {carol_, false}}));
  EXPECT_EQ(directory.departments_of(alice_), (std::vector<std::string>{"Backend", "Engineering"}));
  EXPECT_TRUE(directory.departments_of(bob_).empty());

  // Adding again updates the admin flag.
  EXPECT_TRUE(directory.add_member("Engineering", {carol_, true}));
  EXPECT_EQ(directory.members("Engineering"),
            (std::vector<api::DepartmentMember>{{alice_, true}, {carol_, true}}));

  EXPECT_TRUE(directory.remove_member("Engineering", carol_));
  EXPECT_FALSE(directory.remove_member("Engineering", carol_));
  EXPECT_EQ(directory.members("Engineering"), (std::vector<api::DepartmentMember>{{alice_, true}}));
}

TEST_F(DirectoryStoreTest, AddMemberRefusesUnknownDepartmentOrAccount) {
  auto& directory = stores().directory;
  ASSERT_TRUE(directory.create_department(engineering_));
  EXPECT_FALSE(directory.add_member("Marketing", {alice_, false}));
  EXPECT_FALSE(directory.add_member("Engineering", {addr("nobody@example.com"), false}));
  EXPECT_TRUE(directory.members("Engineering").empty());
  EXPECT_TRUE(directory.members("Marketing").empty());
}

TEST_F(DirectoryStoreTest, RemovingADepartmentDropsMembershipsAndPromotesChildren) {
  auto& directory = stores().directory;
  ASSERT_TRUE(directory.create_department(engineering_));
  ASSERT_TRUE(directory.create_department(backend_));
  ASSERT_TRUE(directory.add_member("Engineering", {alice_, true}));
  ASSERT_TRUE(directory.add_member("Backend", {bob_, false}));

  EXPECT_TRUE(directory.remove_department("Engineering"));
  EXPECT_FALSE(directory.remove_department("Engineering"));
  EXPECT_EQ(directory.department("Engineering"), std::nullopt);
  EXPECT_TRUE(directory.departments_of(alice_).empty());
  // The sub-department survives at the top level with its members.
  EXPECT_EQ(directory.department("Backend"), (api::Department{"Backend", "Servers", ""}));
  EXPECT_EQ(directory.members("Backend"), (std::vector<api::DepartmentMember>{{bob_, false}}));
  // The accounts themselves are untouched.
  EXPECT_TRUE(stores().accounts.exists(alice_));
}

TEST_F(DirectoryStoreTest, RemovingAnAccountRemovesItsMemberships) {
  auto& directory = stores().directory;
  ASSERT_TRUE(directory.create_department(engineering_));
  ASSERT_TRUE(directory.add_member("Engineering", {alice_, true}));
  ASSERT_TRUE(directory.add_member("Engineering", {bob_, false}));
  ASSERT_TRUE(stores().accounts.remove(alice_));
  EXPECT_EQ(directory.members("Engineering"), (std::vector<api::DepartmentMember>{{bob_, false}}));
  EXPECT_TRUE(directory.department("Engineering"));
}

}  // namespace
}  // namespace parley::storage
