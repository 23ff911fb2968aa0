// XEP-0313 §6 room archives against the real parleyd: messages posted in a room (XEP-0045)
// are paged through in order with XEP-0059 RSM by a query addressed to the room; results come
// from the room with the poster's nickname; <before/> gives the last page.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

constexpr const char* kMam = "urn:xmpp:mam:2";
constexpr const char* kRsm = "http://jabber.org/protocol/rsm";

struct Page {
  std::vector<std::string> ids;
  std::vector<std::string> bodies;
  std::vector<std::string> froms;  // 'from' of the forwarded messages
  bool complete = false;
  std::string first;
  std::string error;
};

Page query_room(StropheClient& client, const std::string& room, const std::string& query_id,
                std::size_t max, const std::string& after = {}, bool last_page = false,
                const std::string& before = {}) {
  XmlNode set("set", kRsm);
  set.append(XmlNode("max", kRsm).set_text(std::to_string(max)));
  if (!after.empty()) set.append(XmlNode("after", kRsm).set_text(after));
  if (last_page || !before.empty()) set.append(XmlNode("before", kRsm).set_text(before));
  XmlNode iq("iq");
  iq.set("type", "set")
      .set("to", room)
      .append(XmlNode("query", kMam).set("queryid", query_id).append(set));
  auto reply = client.iq(iq);
  if (!reply) throw std::runtime_error("no answer to the room archive query");
  Page page;
  if (reply->attr_or("type") != "result") {
    page.error = stanza_error_condition(*reply);
    return page;
  }
  const XmlNode* fin = reply->child("fin", kMam);
  if (fin == nullptr) throw std::runtime_error("no <fin/>: " + reply->to_string());
  page.complete = fin->attr_or("complete") == "true";
  if (const XmlNode* rsm = fin->child("set", kRsm)) page.first = rsm->child_text("first", kRsm);
  auto is_result = [&query_id](const XmlNode& s) {
    const XmlNode* r = s.child("result", kMam);
    return s.name() == "message" && r != nullptr && r->attr_or("queryid") == query_id;
  };
  while (auto message = client.wait_for(is_result, std::chrono::milliseconds(0))) {
    if (message->attr_or("from") != room) {
      throw std::runtime_error("result not from the room: " + message->to_string());
    }
    const XmlNode* result = message->child("result", kMam);
    const XmlNode* forwarded = result->child("forwarded", "urn:xmpp:forward:0");
    const XmlNode* inner = forwarded ? forwarded->child("message") : nullptr;
    if (inner == nullptr) throw std::runtime_error("malformed result: " + message->to_string());
    page.ids.push_back(result->attr_or("id"));
    page.bodies.push_back(inner->child_text("body"));
    page.froms.push_back(inner->attr_or("from"));
  }
  return page;
}

std::string body_of(int i) {
  return "room line " + std::to_string(1000 + i);
}

class MamRoomArchiveTest : public DaemonSuite<MamRoomArchiveTest> {};

TEST_F(MamRoomArchiveTest, PagesThroughARoomsHistory) {
  constexpr int kMessages = 120;
  const Account alice = daemon().new_account("alice");
  const std::string room = "history@conference." + alice.jid.substr(alice.jid.find('@') + 1);
  auto a = online(daemon(), alice);
  XmlNode join("presence");
  join.set("to", room + "/alice").append(XmlNode("x", "http://jabber.org/protocol/muc"));
  a->send(join);
  expect(*a, presence_from(room), "the self-presence");

  for (int i = 0; i < kMessages; ++i) {
    XmlNode m("message");
    m.set("to", room).set("type", "groupchat").append(XmlNode("body").set_text(body_of(i)));
    a->send(m);
  }
  for (int i = 0; i < kMessages; ++i) expect(*a, message_with_body(body_of(i)), body_of(i));

  std::vector<std::string> bodies;
  std::string after;
  int pages = 0;
  for (;;) {
    Page page = query_room(*a, room, "r" + std::to_string(pages), 50, after);
    ASSERT_TRUE(page.error.empty()) << page.error;
    ++pages;
    for (const auto& from : page.froms) EXPECT_EQ(from, room + "/alice");
    bodies.insert(bodies.end(), page.bodies.begin(), page.bodies.end());
    if (page.complete) break;
    ASSERT_FALSE(page.ids.empty());
    after = page.ids.back();
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(bodies.size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(bodies[i], body_of(i));

  Page last = query_room(*a, room, "last", 10, {}, true);
  ASSERT_EQ(last.bodies.size(), 10u);
  EXPECT_EQ(last.bodies.back(), body_of(kMessages - 1));
  EXPECT_FALSE(last.complete);

  Page unknown = query_room(*a, room, "bad", 10, "999999999");
  EXPECT_EQ(unknown.error, "item-not-found");
}

}  // namespace
}  // namespace parley::it
