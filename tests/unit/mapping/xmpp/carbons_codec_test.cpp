#include "mapping/xmpp/carbons_codec.hpp"

#include <gtest/gtest.h>

#include "mapping/xmpp/message_codec.hpp"
#include "tests/unit/mapping/xmpp/xml_test_util.hpp"

namespace parley::mapping::xmpp {
namespace {

using testing::semantically_equal;
using testing::xml;

model::Address addr(std::string_view text) {
  return model::Address::parse(text).value();
}

TEST(CarbonsCodecTest, ReceivedCopyXep0280Section6) {
  auto inner =
      xml("<message from='juliet@capulet.example/balcony' to='romeo@montague.example' "
          "type='chat'><body>What man art thou?</body>"
          "<thread>0e3141cd80894871a68e6fe6b1ec56fa</thread></message>");
  auto copy = carbon_wrap(inner, api::CopyKind::received, addr("romeo@montague.example/home"));
  EXPECT_EQ(copy.serialize("jabber:client"),
            "<message from='romeo@montague.example' to='romeo@montague.example/home' "
            "type='chat'><received xmlns='urn:xmpp:carbons:2'>"
            "<forwarded xmlns='urn:xmpp:forward:0'>"
            "<message xmlns='jabber:client' from='juliet@capulet.example/balcony' "
            "to='romeo@montague.example' type='chat'><body>What man art thou?</body>"
            "<thread>0e3141cd80894871a68e6fe6b1ec56fa</thread></message>"
            "</forwarded></received></message>");
}

TEST(CarbonsCodecTest, SentCopyXep0280Section7) {
  model::Message m;
  m.from = addr("romeo@montague.example/home");
  m.to = addr("juliet@capulet.example/balcony");
  m.type = model::MessageType::chat;
  m.body = "Neither, fair saint";
  auto copy =
      carbon_wrap(message_to_xml(m), api::CopyKind::sent, addr("romeo@montague.example/garden"));
  EXPECT_TRUE(semantically_equal(
      copy, xml("<message from='romeo@montague.example' to='romeo@montague.example/garden' "
                "type='chat'><sent xmlns='urn:xmpp:carbons:2'>"
                "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' "
                "from='romeo@montague.example/home' to='juliet@capulet.example/balcony' "
                "type='chat'><body>Neither, fair saint</body></message></forwarded></sent>"
                "</message>")));
  // The forwarded message parses back to the original.
  const auto* inner = copy.child("sent", "urn:xmpp:carbons:2")
                          ->child("forwarded", "urn:xmpp:forward:0")
                          ->child("message", "jabber:client");
  ASSERT_NE(inner, nullptr);
  auto back = message_from_xml(*inner);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->body, m.body);
  EXPECT_EQ(back->to, m.to);
}

TEST(CarbonsCodecTest, NoneReturnsTheMessageUnchanged) {
  auto inner = xml("<message to='a@b.c'><body>x</body></message>");
  EXPECT_EQ(carbon_wrap(inner, api::CopyKind::none, addr("a@b.c/r")).serialize(),
            inner.serialize());
}

TEST(CarbonsCodecTest, Eligibility) {
  auto parse = [](const char* text) { return message_from_xml(xml(text)).value(); };
  EXPECT_TRUE(carbon_eligible(parse("<message type='chat'><body>x</body></message>")));
  EXPECT_TRUE(carbon_eligible(parse("<message><body>x</body></message>")));
  EXPECT_TRUE(
      carbon_eligible(parse("<message><received xmlns='urn:xmpp:receipts' id='1'/></message>")));
  EXPECT_FALSE(carbon_eligible(parse("<message type='groupchat'><body>x</body></message>")));
  EXPECT_FALSE(carbon_eligible(parse("<message type='headline'><body>x</body></message>")));
  EXPECT_FALSE(carbon_eligible(
      parse("<message type='chat'><body>x</body><private xmlns='urn:xmpp:carbons:2'/></message>")));
  EXPECT_FALSE(carbon_eligible(
      parse("<message type='chat'><body>x</body><no-copy xmlns='urn:xmpp:hints'/></message>")));
}

}  // namespace
}  // namespace parley::mapping::xmpp
