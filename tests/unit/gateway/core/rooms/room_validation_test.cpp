#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gateway/core/rooms/room_validation.hpp"

namespace parley::core::rooms {
namespace {

TEST(RoomValidation, RoomIds) {
  EXPECT_TRUE(valid_room_id("lobby"));
  EXPECT_TRUE(valid_room_id("team-1.dev_x"));
  EXPECT_FALSE(valid_room_id(""));
  EXPECT_FALSE(valid_room_id("-lobby"));
  EXPECT_FALSE(valid_room_id("Lobby"));
  EXPECT_FALSE(valid_room_id("a b"));
  EXPECT_FALSE(valid_room_id("a@b"));
  EXPECT_FALSE(valid_room_id(std::string(65, 'a')));
  EXPECT_TRUE(valid_room_id(std::string(64, 'a')));
}

TEST(RoomValidation, IdsDerivedFromNamesAreValid) {
  EXPECT_EQ(room_id_from_name("Team Alpha!"), "team-alpha");
  EXPECT_EQ(room_id_from_name("  --C++ & Rust--  "), "c-rust");
  EXPECT_EQ(room_id_from_name("研发部"), "room");
  for (const std::string& name :
       std::vector<std::string>{"A", "研发部 2024", "x/y/z", "...", std::string(300, 'Q')}) {
    EXPECT_TRUE(valid_room_id(room_id_from_name(name))) << name;
  }
}

TEST(RoomValidation, NamesAndNicknames) {
  EXPECT_TRUE(valid_room_name("研发部"));
  EXPECT_FALSE(valid_room_name(""));
  EXPECT_FALSE(valid_room_name("   "));
  EXPECT_FALSE(valid_room_name("tab\there"));
  EXPECT_TRUE(valid_nickname("Alice W."));
  EXPECT_FALSE(valid_nickname(""));
  EXPECT_FALSE(valid_nickname(" "));
  EXPECT_FALSE(valid_nickname("new\nline"));
  EXPECT_FALSE(valid_nickname(std::string(129, 'n')));
  EXPECT_EQ(fold_name("Lobby-ÄB"), "lobby-Äb");  // ASCII folding only, like COLLATE NOCASE
}

}  // namespace
}  // namespace parley::core::rooms
