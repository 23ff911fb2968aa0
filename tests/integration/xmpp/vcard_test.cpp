// vcard-temp (XEP-0054): a user publishes their vCard with a set to their own bare JID (§3.2),
// reads it back, and other users retrieve it from that bare JID (§3.3); a replacement
// overwrites it.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

constexpr std::string_view kNsVcard = "vcard-temp";

XmlNode vcard(const std::string& full_name, const std::string& nickname) {
  XmlNode card("vCard", std::string(kNsVcard));
  card.append(XmlNode("FN", std::string(kNsVcard)).set_text(full_name))
      .append(XmlNode("NICKNAME", std::string(kNsVcard)).set_text(nickname));
  return card;
}

XmlNode vcard_iq(const std::string& type, const std::string& to, XmlNode card) {
  XmlNode iq("iq");
  iq.set("type", type);
  if (!to.empty()) iq.set("to", to);
  iq.append(std::move(card));
  return iq;
}

class VcardTest : public DaemonSuite<VcardTest> {};

TEST_F(VcardTest, PublishReadAndReplace) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = login(daemon(), alice);
  auto b = login(daemon(), bob);

  auto stored = a->iq(vcard_iq("set", "", vcard("Alice Example", "ally & co <3")));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->attr_or("type"), "result") << stored->to_string();

  auto own = a->iq(vcard_iq("get", "", XmlNode("vCard", std::string(kNsVcard))));
  ASSERT_TRUE(own);
  ASSERT_EQ(own->attr_or("type"), "result") << own->to_string();
  const XmlNode* card = own->child("vCard", kNsVcard);
  ASSERT_NE(card, nullptr) << own->to_string();
  EXPECT_EQ(card->child_text("FN"), "Alice Example");
  EXPECT_EQ(card->child_text("NICKNAME"), "ally & co <3");  // escaping survived the store

  auto theirs = b->iq(vcard_iq("get", alice.jid, XmlNode("vCard", std::string(kNsVcard))));
  ASSERT_TRUE(theirs);
  ASSERT_EQ(theirs->attr_or("type"), "result") << theirs->to_string();
  EXPECT_EQ(bare_of(theirs->attr_or("from")), alice.jid);
  ASSERT_NE(theirs->child("vCard", kNsVcard), nullptr) << theirs->to_string();
  EXPECT_EQ(theirs->child("vCard", kNsVcard)->child_text("FN"), "Alice Example");

  ASSERT_TRUE(a->iq(vcard_iq("set", "", vcard("Alice Renamed", "al"))));
  auto replaced = b->iq(vcard_iq("get", alice.jid, XmlNode("vCard", std::string(kNsVcard))));
  ASSERT_TRUE(replaced);
  ASSERT_NE(replaced->child("vCard", kNsVcard), nullptr) << replaced->to_string();
  EXPECT_EQ(replaced->child("vCard", kNsVcard)->child_text("FN"), "Alice Renamed");
}

TEST_F(VcardTest, UserWithoutVcard) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = login(daemon(), alice);
  auto reply = a->iq(vcard_iq("get", bob.jid, XmlNode("vCard", std::string(kNsVcard))));
  ASSERT_TRUE(reply);
  // XEP-0054 §3.1: an empty vCard or <item-not-found/>.
  if (reply->attr_or("type") == "result") {
    const XmlNode* card = reply->child("vCard", kNsVcard);
    EXPECT_TRUE(card == nullptr || card->children().empty()) << reply->to_string();
  } else {
    EXPECT_EQ(stanza_error_condition(*reply), "item-not-found") << reply->to_string();
  }
}

TEST_F(VcardTest, CannotWriteSomeoneElsesVcard) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = login(daemon(), alice);
  auto reply = a->iq(vcard_iq("set", bob.jid, vcard("Not Bob", "impostor")));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("type"), "error") << reply->to_string();
  auto b = login(daemon(), bob);
  auto own = b->iq(vcard_iq("get", "", XmlNode("vCard", std::string(kNsVcard))));
  ASSERT_TRUE(own);
  const XmlNode* card = own->child("vCard", kNsVcard);
  EXPECT_TRUE(card == nullptr || card->child_text("FN") != "Not Bob") << own->to_string();
}

}  // namespace
}  // namespace parley::it
