// Secret rooms (XEP-0045 muc_hidden + muc_membersonly): invisible in the service's disco#items
// and in room search for non-members, and their existence does not leak on join.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/xmpp/muc_support.hpp"

namespace parley::it {
namespace {

using namespace muc;

class MucSecretRoomTest : public DaemonSuite<MucSecretRoomTest> {};

bool lists(const XmlNode& reply, const std::string& jid) {
  const XmlNode* query = reply.child("query");
  if (!query) return false;
  for (const auto& item : query->children()) {
    if (item.name() == "item" && item.attr_or("jid") == jid) return true;
  }
  return false;
}

XmlNode disco_items(const std::string& to) {
  XmlNode iq("iq");
  iq.set("type", "get").set("to", to).append(XmlNode("query", kDiscoItems));
  return iq;
}

XmlNode search(const std::string& to, const std::string& text) {
  XmlNode form("x", kData);
  form.set("type", "submit");
  form.append(
      XmlNode("field", kData).set("var", "text").append(XmlNode("value", kData).set_text(text)));
  XmlNode iq("iq");
  iq.set("type", "set").set("to", to).append(XmlNode("query", kSearch).append(std::move(form)));
  return iq;
}

bool found(const XmlNode& reply, const std::string& jid) {
  const XmlNode* query = reply.child("query", kSearch);
  const XmlNode* x = query ? query->child("x", kData) : nullptr;
  if (!x) return false;
  for (const auto& item : x->children()) {
    if (item.name() != "item") continue;
    for (const auto& field : item.children()) {
      if (field.attr_or("var") == "jid" && field.child_text("value") == jid) return true;
    }
  }
  return false;
}

TEST_F(MucSecretRoomTest, SecretRoomIsInvisibleToNonMembers) {
  const std::string service_jid = service(daemon());
  const std::string secret = room_jid(daemon(), "hideout");
  const std::string open = room_jid(daemon(), "plaza");
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  enter(*a, secret, "al");
  enter(*a, open, "al");
  expect_result(a->iq(configure(secret, {{"muc#roomconfig_publicroom", "0"}})),
                "making the room secret");

  auto a_items = a->iq(disco_items(service_jid));
  ASSERT_TRUE(a_items);
  EXPECT_TRUE(lists(*a_items, secret)) << a_items->to_string();  // the manager sees it
  auto b_items = b->iq(disco_items(service_jid));
  ASSERT_TRUE(b_items);
  EXPECT_TRUE(lists(*b_items, open)) << b_items->to_string();
  EXPECT_FALSE(lists(*b_items, secret)) << b_items->to_string();

  auto a_found = a->iq(search(service_jid, "hide"));
  ASSERT_TRUE(a_found);
  EXPECT_TRUE(found(*a_found, secret)) << a_found->to_string();
  auto b_found = b->iq(search(service_jid, "hide"));
  ASSERT_TRUE(b_found);
  EXPECT_EQ(b_found->attr_or("type"), "result") << b_found->to_string();
  EXPECT_FALSE(found(*b_found, secret)) << b_found->to_string();
  auto b_plaza = b->iq(search(service_jid, "plaz"));
  ASSERT_TRUE(b_plaza);
  EXPECT_TRUE(found(*b_plaza, open)) << b_plaza->to_string();

  // Joining answers as if the room did not exist (and Bob may not create it either).
  b->send(join_presence(secret, "bo"));
  const XmlNode refused = expect(*b, presence_error_from(secret + "/bo"), "the join error");
  EXPECT_EQ(stanza_error_condition(refused), "item-not-found");
}

}  // namespace
}  // namespace parley::it
