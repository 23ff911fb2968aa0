#include "gateway/storage/message_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using testing::addr;

TEST(MessageJson, MinimalMessageRoundTrips) {
  model::Message message;
  message.from = addr("example.com");
  message.to = addr("alice@example.com");
  auto back = message_from_json(message_to_json(message));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->from, message.from);
  EXPECT_EQ(back->to, message.to);
  EXPECT_EQ(back->type, model::MessageType::normal);
  EXPECT_EQ(back->error, std::nullopt);
  EXPECT_TRUE(back->extensions.empty());
  EXPECT_EQ(back->stamp, model::Timestamp{});
}

TEST(MessageJson, IsAJsonObjectWithNamedFields) {
  model::Message message;
  message.from = addr("carol@example.com/pc");
  message.to = addr("alice@example.com");
  message.type = model::MessageType::headline;
  message.body = "<&>'\"";
  auto object = nlohmann::json::parse(message_to_json(message));
  EXPECT_EQ(object["type"], "headline");
  EXPECT_EQ(object["from"], "carol@example.com/pc");
  EXPECT_EQ(object["body"], "<&>'\"");
  EXPECT_FALSE(object.contains("error"));
}

TEST(MessageJson, EveryTypeRoundTrips) {
  for (auto type :
       {model::MessageType::normal, model::MessageType::chat, model::MessageType::groupchat,
        model::MessageType::headline, model::MessageType::error}) {
    model::Message message;
    message.type = type;
    auto back = message_from_json(message_to_json(message));
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(back->type, type);
  }
}

TEST(MessageJson, NegativeAndSubMicrosecondStamps) {
  EXPECT_EQ(to_unix_micros(from_unix_micros(-1234567)), -1234567);
  // Finer than microseconds is truncated, not rounded.
  const auto stamp =
      model::Timestamp(std::chrono::microseconds(5)) +
      std::chrono::duration_cast<model::Timestamp::duration>(std::chrono::nanoseconds(999));
  EXPECT_EQ(to_unix_micros(stamp), 5);
}

TEST(MessageJson, RejectsMalformedInput) {
  EXPECT_FALSE(message_from_json(""));
  EXPECT_FALSE(message_from_json("[]"));
  EXPECT_FALSE(message_from_json(R"({"v":2,"stamp_us":0,"type":"chat"})"));
  EXPECT_FALSE(message_from_json(R"({"v":1,"stamp_us":0,"type":"shout"})"));
  EXPECT_FALSE(message_from_json(R"({"v":1,"stamp_us":"soon","type":"chat"})"));
  EXPECT_FALSE(message_from_json(R"({"v":1,"stamp_us":0,"type":"chat","to":"a@b@c"})"));
  EXPECT_FALSE(message_from_json(R"({"v":1,"stamp_us":0,"type":"chat","body":7})"));
  EXPECT_FALSE(
      message_from_json(R"({"v":1,"stamp_us":0,"type":"chat","extensions":[{"origin":"smtp"}]})"));
  EXPECT_FALSE(message_from_json(
      R"({"v":1,"stamp_us":0,"type":"error","error":{"type":"cancel","condition":"oops"}})"));
  EXPECT_TRUE(message_from_json(R"({"v":1,"stamp_us":0,"type":"chat"})"));
}

TEST(MessageJson, InvalidUtf8IsReplacedNotThrown) {
  model::Message message;
  message.body = "bad \xff byte";
  auto back = message_from_json(message_to_json(message));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->body, "bad \xef\xbf\xbd byte");
}

}  // namespace
}  // namespace parley::storage
