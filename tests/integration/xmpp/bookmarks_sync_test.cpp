// XEP-0048 bookmarks (in XEP-0049 private storage) are the followed-rooms list of the rooms
// service: storing bookmarks follows and unfollows rooms of our MUC service, every session of
// the account sees the followed rooms as autojoin conferences, and whatever else the client
// stored (rooms elsewhere, URLs) is kept as it was. XEP-0402 PEP bookmarks are a second path
// to the same list.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

constexpr const char* kPrivate = "jabber:iq:private";
constexpr const char* kBookmarks = "storage:bookmarks";

std::string muc_domain(const Account& account) {
  return "conference." + account.jid.substr(account.jid.find('@') + 1);
}

// Joins (and so creates, XEP-0045 §10.1.2) a room and waits for the self-presence.
void join(StropheClient& client, const std::string& room_jid, const std::string& nick) {
  XmlNode p("presence");
  p.set("to", room_jid + "/" + nick).append(XmlNode("x", "http://jabber.org/protocol/muc"));
  client.send(p);
  expect(client, presence_from(room_jid), "the self-presence from " + room_jid);
}

XmlNode conference(const std::string& jid) {
  XmlNode c("conference", kBookmarks);
  c.set("jid", jid).set("autojoin", "true");
  return c;
}

void set_bookmarks(StropheClient& client, XmlNode storage) {
  XmlNode iq("iq");
  iq.set("type", "set").append(XmlNode("query", kPrivate).append(std::move(storage)));
  auto reply = client.iq(iq);
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->attr_or("type"), "result") << reply->to_string();
}

XmlNode get_bookmarks(StropheClient& client) {
  XmlNode iq("iq");
  iq.set("type", "get").append(XmlNode("query", kPrivate).append(XmlNode("storage", kBookmarks)));
  auto reply = client.iq(iq);
  if (!reply || reply->attr_or("type") != "result") {
    throw std::runtime_error("bookmarks get failed: " + (reply ? reply->to_string() : "timeout"));
  }
  const XmlNode* query = reply->child("query", kPrivate);
  const XmlNode* storage = query ? query->child("storage", kBookmarks) : nullptr;
  if (storage == nullptr) throw std::runtime_error("no storage: " + reply->to_string());
  return *storage;
}

std::set<std::string> conference_jids(const XmlNode& storage) {
  std::set<std::string> jids;
  for (const auto& c : storage.children()) {
    if (c.name() == "conference") jids.insert(c.attr_or("jid"));
  }
  return jids;
}

class BookmarksSyncTest : public DaemonSuite<BookmarksSyncTest> {};

TEST_F(BookmarksSyncTest, BookmarksAndFollowedRoomsStayInSync) {
  const Account alice = daemon().new_account("alice");
  const std::string muc = muc_domain(alice);
  const std::string lobby = "lobby-sync@" + muc;
  const std::string dev = "dev-sync@" + muc;
  auto a = online(daemon(), alice);
  join(*a, lobby, "alice");
  join(*a, dev, "alice");

  // A second session of the same account, to see what the server keeps.
  auto a2 = online(daemon(), alice, {.resource = "second"});
  EXPECT_TRUE(conference_jids(get_bookmarks(*a2)).empty());

  XmlNode storage("storage", kBookmarks);
  storage.append(conference(lobby))
      .append(conference(dev))
      .append(conference("elsewhere@muc.example.org"))
      .append(conference("no-such-room@" + muc))
      .append(XmlNode("url", kBookmarks).set("name", "Wiki").set("url", "https://wiki/"));
  set_bookmarks(*a, storage);

  const XmlNode seen = get_bookmarks(*a2);
  EXPECT_EQ(conference_jids(seen), (std::set<std::string>{lobby, dev, "elsewhere@muc.example.org"}))
      << seen.to_string();
  EXPECT_NE(seen.child("url", kBookmarks), nullptr) << seen.to_string();
  for (const auto& c : seen.children()) {
    if (c.name() == "conference" && c.attr_or("jid") != "elsewhere@muc.example.org") {
      EXPECT_EQ(c.attr_or("autojoin"), "true") << c.to_string();
    }
  }

  // Dropping a room from the bookmarks unfollows it.
  XmlNode fewer("storage", kBookmarks);
  fewer.append(conference(dev));
  set_bookmarks(*a2, fewer);
  EXPECT_EQ(conference_jids(get_bookmarks(*a)), (std::set<std::string>{dev}));

  // The list is the server's: a new login sees it too.
  a2->disconnect();
  auto a3 = online(daemon(), alice, {.resource = "third"});
  EXPECT_EQ(conference_jids(get_bookmarks(*a3)), (std::set<std::string>{dev}));
}

// Another path to the followed list: XEP-0402 PEP bookmarks. What one path follows, the other
// shows.
TEST_F(BookmarksSyncTest, PepBookmarksAndPrivateBookmarksShareTheFollowedList) {
  const Account bob = daemon().new_account("bob");
  const std::string ops = "ops-pep@" + muc_domain(bob);
  const std::string lab = "lab-pep@" + muc_domain(bob);
  auto b = online(daemon(), bob);
  join(*b, ops, "bob");
  join(*b, lab, "bob");
  constexpr const char* kPubsub = "http://jabber.org/protocol/pubsub";
  constexpr const char* kNode = "urn:xmpp:bookmarks:1";

  XmlNode publish("iq");
  publish.set("type", "set")
      .append(
          XmlNode("pubsub", kPubsub)
              .append(
                  XmlNode("publish", kPubsub)
                      .set("node", kNode)
                      .append(XmlNode("item", kPubsub)
                                  .set("id", ops)
                                  .append(XmlNode("conference", kNode).set("autojoin", "true")))));
  auto published = b->iq(publish);
  ASSERT_TRUE(published);
  ASSERT_EQ(published->attr_or("type"), "result") << published->to_string();
  EXPECT_EQ(conference_jids(get_bookmarks(*b)), (std::set<std::string>{ops}));

  // Followed through XEP-0048: the PEP node lists it.
  XmlNode both("storage", kBookmarks);
  both.append(conference(ops)).append(conference(lab));
  set_bookmarks(*b, both);
  XmlNode items("iq");
  items.set("type", "get")
      .append(XmlNode("pubsub", kPubsub).append(XmlNode("items", kPubsub).set("node", kNode)));
  auto listed = b->iq(items);
  ASSERT_TRUE(listed);
  std::set<std::string> ids;
  if (const XmlNode* pubsub = listed->child("pubsub", kPubsub)) {
    if (const XmlNode* list = pubsub->child("items", kPubsub)) {
      for (const auto& item : list->children()) ids.insert(item.attr_or("id"));
    }
  }
  EXPECT_EQ(ids, (std::set<std::string>{ops, lab})) << listed->to_string();

  XmlNode retract("iq");
  retract.set("type", "set")
      .append(XmlNode("pubsub", kPubsub)
                  .append(XmlNode("retract", kPubsub)
                              .set("node", kNode)
                              .append(XmlNode("item", kPubsub).set("id", lab))));
  auto retracted = b->iq(retract);
  ASSERT_TRUE(retracted);
  ASSERT_EQ(retracted->attr_or("type"), "result") << retracted->to_string();
  EXPECT_EQ(conference_jids(get_bookmarks(*b)), (std::set<std::string>{ops}));
}

}  // namespace
}  // namespace parley::it
