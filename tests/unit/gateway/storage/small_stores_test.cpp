// VCardStore, PrivateStore and BlockStore.
#include <gtest/gtest.h>

#include <algorithm>

#include <SQLiteCpp/Exception.h>

#include "gateway/storage/block_store.hpp"
#include "gateway/storage/private_store.hpp"
#include "gateway/storage/vcard_store.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using testing::addr;
using testing::StorageTest;

using SmallStoresTest = StorageTest;

TEST_F(SmallStoresTest, VCardSetGetReplace) {
  auto& vcards = stores().vcards;
  EXPECT_EQ(vcards.get(alice_), std::nullopt);
  vcards.set(alice_, "<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>");
  EXPECT_EQ(vcards.get(alice_), "<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>");
  const std::string binary("<vCard>\0\xff</vCard>", 17);
  vcards.set(alice_, binary);
  EXPECT_EQ(vcards.get(alice_), binary);
  EXPECT_EQ(vcards.get(addr("alice@example.com/phone")), binary);  // per bare address
  EXPECT_EQ(vcards.get(bob_), std::nullopt);
  vcards.set(alice_, "");  // an empty vCard is still a vCard
  EXPECT_EQ(vcards.get(alice_), "");
}

TEST_F(SmallStoresTest, VCardForUnknownUserIsRefused) {
  EXPECT_THROW(stores().vcards.set(addr("nobody@example.com"), "<vCard/>"), SQLite::Exception);
}

TEST_F(SmallStoresTest, PrivateXmlIsPerUserAndKey) {
  auto& private_xml = stores().private_xml;
  const std::string bookmarks = "storage storage:bookmarks";
  const std::string prefs = "prefs urn:example:prefs";
  EXPECT_EQ(private_xml.get(alice_, bookmarks), std::nullopt);
  private_xml.set(alice_, bookmarks, "<storage xmlns='storage:bookmarks'/>");
  private_xml.set(alice_, prefs, "<prefs xmlns='urn:example:prefs'/>");
  private_xml.set(bob_, bookmarks, "<storage xmlns='storage:bookmarks'><conference/></storage>");
  EXPECT_EQ(private_xml.get(alice_, bookmarks), "<storage xmlns='storage:bookmarks'/>");
  EXPECT_EQ(private_xml.get(alice_, prefs), "<prefs xmlns='urn:example:prefs'/>");
  EXPECT_EQ(private_xml.get(bob_, bookmarks),
            "<storage xmlns='storage:bookmarks'><conference/></storage>");
  private_xml.set(alice_, bookmarks, "<storage xmlns='storage:bookmarks'>v2</storage>");
  EXPECT_EQ(private_xml.get(alice_, bookmarks), "<storage xmlns='storage:bookmarks'>v2</storage>");
  EXPECT_EQ(private_xml.get(carol_, bookmarks), std::nullopt);
}

TEST_F(SmallStoresTest, BlockListAddRemoveClear) {
  auto& blocks = stores().blocks;
  EXPECT_TRUE(blocks.list(alice_).empty());
  const auto spammer = addr("spam@evil.example");
  const auto domain = addr("evil.example");
  const auto full = addr("bob@example.com/bot");
  blocks.add(alice_, {spammer, domain});
  blocks.add(alice_, {full, spammer});  // already blocked: no error, no duplicate
  std::vector<model::Address> expected{spammer, domain, full};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(blocks.list(alice_), expected);
  EXPECT_TRUE(blocks.list(bob_).empty());

  blocks.remove(alice_, {domain, addr("never@blocked.example")});
  expected.erase(std::find(expected.begin(), expected.end(), domain));
  EXPECT_EQ(blocks.list(alice_), expected);

  blocks.add(bob_, {spammer});
  blocks.clear(alice_);
  EXPECT_TRUE(blocks.list(alice_).empty());
  EXPECT_EQ(blocks.list(bob_), std::vector<model::Address>{spammer});
  blocks.add(alice_, {});  // nothing to do
  EXPECT_TRUE(blocks.list(alice_).empty());
}

TEST_F(SmallStoresTest, BlockAddIsAllOrNothing) {
  auto& blocks = stores().blocks;
  EXPECT_THROW(blocks.add(addr("nobody@example.com"), {bob_, carol_}), SQLite::Exception);
  EXPECT_TRUE(blocks.list(addr("nobody@example.com")).empty());
  blocks.add(alice_, {bob_});  // the connection is still usable
  EXPECT_EQ(blocks.list(alice_), std::vector<model::Address>{bob_});
}

TEST_F(SmallStoresTest, SurviveReopen) {
  stores().vcards.set(carol_, "<vCard/>");
  stores().private_xml.set(carol_, "k ns", "<k xmlns='ns'/>");
  stores().blocks.add(carol_, {bob_});
  reopen();
  EXPECT_EQ(stores().vcards.get(carol_), "<vCard/>");
  EXPECT_EQ(stores().private_xml.get(carol_, "k ns"), "<k xmlns='ns'/>");
  EXPECT_EQ(stores().blocks.list(carol_), std::vector<model::Address>{bob_});
}

}  // namespace
}  // namespace parley::storage
