// Blocking Command (XEP-0191): the block list is stored and returned, pushed to the user's
// other resources, and a blocked contact's messages are not delivered (§3.5) until unblocked;
// the user's own messages to a blocked contact are refused (§3.6).
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

constexpr std::string_view kNsBlocking = "urn:xmpp:blocking";

XmlNode block_iq(const std::string& verb, const std::string& jid) {
  XmlNode command(verb, std::string(kNsBlocking));
  if (!jid.empty()) command.append(XmlNode("item", std::string(kNsBlocking)).set("jid", jid));
  XmlNode iq("iq");
  iq.set("type", "set").append(std::move(command));
  return iq;
}

XmlNode blocklist_get() {
  XmlNode iq("iq");
  iq.set("type", "get").append(XmlNode("blocklist", std::string(kNsBlocking)));
  return iq;
}

std::vector<std::string> blocked_jids(const XmlNode& reply) {
  std::vector<std::string> out;
  if (const XmlNode* list = reply.child("blocklist", kNsBlocking)) {
    for (const auto& item : list->children()) out.push_back(item.attr_or("jid"));
  }
  return out;
}

class BlockingTest : public DaemonSuite<BlockingTest> {};

TEST_F(BlockingTest, BlockedContactCannotReachUserUntilUnblocked) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice, {.resource = "main"});
  auto a2 = online(daemon(), alice, {.resource = "second"});
  auto b = online(daemon(), bob);

  // The second resource asks for the list, so it is interested in pushes (§3.2).
  auto empty = a2->iq(blocklist_get());
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->attr_or("type"), "result") << empty->to_string();
  EXPECT_TRUE(blocked_jids(*empty).empty()) << empty->to_string();

  auto blocked = a->iq(block_iq("block", bob.jid));
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->attr_or("type"), "result") << blocked->to_string();
  // §3.3: pushed to the other interested resource.
  expect(
      *a2,
      [&](const XmlNode& n) {
        const XmlNode* block = n.child("block", kNsBlocking);
        return n.attr_or("type") == "set" && block && block->child("item") &&
               block->child("item")->attr_or("jid") == bob.jid;
      },
      "the block push on the second resource");
  auto list = a->iq(blocklist_get());
  ASSERT_TRUE(list);
  EXPECT_EQ(blocked_jids(*list), std::vector<std::string>{bob.jid}) << list->to_string();

  // §3.5: bob's message is not delivered to any of alice's resources; bob gets
  // <service-unavailable/>, as if alice did not exist. Waiting for that error also orders bob's
  // message (another connection) before the unblock below.
  b->send(chat(alice.jid, "can you hear me"));
  const XmlNode bounced = expect(
      *b, [](const XmlNode& n) { return n.name() == "message" && n.attr_or("type") == "error"; },
      "the error for the message to a user who blocked bob");
  EXPECT_EQ(stanza_error_condition(bounced), "service-unavailable") << bounced.to_string();
  // §3.6: alice's own message to bob is refused with <not-acceptable/>.
  a->send(chat(bob.jid, "blocked outbound"));
  const XmlNode refused = expect(
      *a, [](const XmlNode& n) { return n.name() == "message" && n.attr_or("type") == "error"; },
      "the error for the outbound message to a blocked contact");
  EXPECT_EQ(stanza_error_condition(refused), "not-acceptable") << refused.to_string();

  auto unblocked = a->iq(block_iq("unblock", bob.jid));
  ASSERT_TRUE(unblocked);
  EXPECT_EQ(unblocked->attr_or("type"), "result") << unblocked->to_string();
  b->send(chat(alice.jid, "now you can"));
  expect(*a, message_with_body("now you can"), "the message after unblocking");
  // Messages from one sender keep their order, so the blocked one would have come first.
  // (Neither of alice's resources got it.)
  EXPECT_FALSE(a->wait_for(message_with_body("can you hear me"), std::chrono::milliseconds(0)));
  EXPECT_FALSE(b->wait_for(message_with_body("blocked outbound"), std::chrono::milliseconds(0)));
  auto final_list = a->iq(blocklist_get());
  ASSERT_TRUE(final_list);
  EXPECT_TRUE(blocked_jids(*final_list).empty()) << final_list->to_string();
}

}  // namespace
}  // namespace parley::it
