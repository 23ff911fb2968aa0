// XEP-0048 bookmarks kept in sync with the followed-rooms list.
#include "adapters/xmpp/features/bookmarks.hpp"
#include "adapters/xmpp/features/handlers.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

class BookmarksTest : public FeatureTest {
 protected:
  BookmarksTest() { session.rooms_service.existing = {"lobby", "dev", "ops"}; }

  const wire::XmlElement* get_storage(std::string_view id) {
    dispatch(handler, "<iq type='get' id='" + std::string(id) +
                          "'><query xmlns='jabber:iq:private'>"
                          "<storage xmlns='storage:bookmarks'/></query></iq>");
    const auto* query = result(id).child("query", "jabber:iq:private");
    return query == nullptr ? nullptr : query->child("storage", "storage:bookmarks");
  }

  static std::vector<std::string> conference_jids(const wire::XmlElement& storage) {
    std::vector<std::string> jids;
    for (const auto* c : storage.children("conference", "storage:bookmarks")) {
      jids.push_back(c->attr_or("jid"));
    }
    return jids;
  }

  std::set<std::string>& juliet_follows() {
    return session.rooms_service.follows["juliet@example.com"];
  }

  IqHandler handler = features::make_private_handler();
};

TEST_F(BookmarksTest, GetShowsFollowedRoomsAsAutojoinConferences) {
  juliet_follows() = {"dev", "lobby"};
  const auto* storage = get_storage("b1");
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(conference_jids(*storage), (std::vector<std::string>{"dev@conference.example.com",
                                                                 "lobby@conference.example.com"}));
  const auto* first = storage->child("conference", "storage:bookmarks");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->attr_or("autojoin"), "true");
  EXPECT_EQ(first->attr_or("name"), "Room dev");
}

TEST_F(BookmarksTest, SetFollowsAndUnfollowsTheDifference) {
  juliet_follows() = {"dev", "ops"};
  dispatch(handler,
           "<iq type='set' id='b2'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'>"
           "<conference jid='lobby@conference.example.com' autojoin='true'><nick>jul</nick>"
           "</conference>"
           "<conference jid='dev@conference.example.com'/>"
           "<conference jid='elsewhere@muc.other.org' name='Other'/>"
           "<url name='Site' url='https://example.com/'/>"
           "</storage></query></iq>");
  result("b2");
  EXPECT_EQ(juliet_follows(), (std::set<std::string>{"dev", "lobby"}));

  // The get keeps the nick, the other service's room and the URL.
  const auto* storage = get_storage("b3");
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(conference_jids(*storage),
            (std::vector<std::string>{"elsewhere@muc.other.org", "dev@conference.example.com",
                                      "lobby@conference.example.com"}));
  EXPECT_NE(storage->child("url", "storage:bookmarks"), nullptr);
  const auto conferences = storage->children("conference", "storage:bookmarks");
  ASSERT_EQ(conferences.size(), 3u);
  EXPECT_EQ(conferences[2]->child_text("nick", "storage:bookmarks"), "jul");
}

TEST_F(BookmarksTest, FollowingElsewhereShowsUpInBookmarks) {
  dispatch(handler,
           "<iq type='set' id='b4'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'/></query></iq>");
  result("b4");
  juliet_follows().insert("ops");  // e.g. followed through another adapter
  const auto* storage = get_storage("b5");
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(conference_jids(*storage), (std::vector<std::string>{"ops@conference.example.com"}));
}

TEST_F(BookmarksTest, UnknownRoomsAreLeftOutButTheSetSucceeds) {
  dispatch(handler,
           "<iq type='set' id='b6'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'>"
           "<conference jid='nosuch@conference.example.com'/>"
           "<conference jid='ops@conference.example.com'/></storage></query></iq>");
  result("b6");
  EXPECT_EQ(juliet_follows(), (std::set<std::string>{"ops"}));
  const auto* storage = get_storage("b7");
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(conference_jids(*storage), (std::vector<std::string>{"ops@conference.example.com"}));
}

TEST_F(BookmarksTest, WithoutMucServiceBookmarksArePlainPrivateData) {
  session.muc.clear();
  dispatch(handler,
           "<iq type='set' id='b8'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'>"
           "<conference jid='ops@conference.example.com'/></storage></query></iq>");
  result("b8");
  EXPECT_TRUE(juliet_follows().empty());
  const auto* storage = get_storage("b9");
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(conference_jids(*storage), (std::vector<std::string>{"ops@conference.example.com"}));
}

class PepBookmarksTest : public BookmarksTest {
 protected:
  IqHandler pep = features::make_pep_bookmarks_handler();
};

TEST_F(PepBookmarksTest, ItemsPublishAndRetractMapToTheFollowedList) {
  juliet_follows() = {"dev"};
  dispatch(pep,
           "<iq type='get' id='e1'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
           "<items node='urn:xmpp:bookmarks:1'/></pubsub></iq>");
  const auto* pubsub = result("e1").child("pubsub", "http://jabber.org/protocol/pubsub");
  ASSERT_NE(pubsub, nullptr);
  const auto* items = pubsub->child("items");
  ASSERT_NE(items, nullptr);
  const auto list = items->children("item");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]->attr_or("id"), "dev@conference.example.com");
  const auto* conference = list[0]->child("conference", "urn:xmpp:bookmarks:1");
  ASSERT_NE(conference, nullptr);
  EXPECT_EQ(conference->attr_or("autojoin"), "true");

  dispatch(pep,
           "<iq type='set' id='e2'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
           "<publish node='urn:xmpp:bookmarks:1'><item id='ops@conference.example.com'>"
           "<conference xmlns='urn:xmpp:bookmarks:1' autojoin='true'/></item></publish>"
           "</pubsub></iq>");
  result("e2");
  EXPECT_EQ(juliet_follows(), (std::set<std::string>{"dev", "ops"}));

  dispatch(pep,
           "<iq type='set' id='e3'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
           "<retract node='urn:xmpp:bookmarks:1'><item id='dev@conference.example.com'/>"
           "</retract></pubsub></iq>");
  result("e3");
  EXPECT_EQ(juliet_follows(), (std::set<std::string>{"ops"}));
}

TEST_F(PepBookmarksTest, OtherNodesServicesAndUnknownRooms) {
  dispatch(pep,
           "<iq type='get' id='e4'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
           "<items node='urn:xmpp:avatar:data'/></pubsub></iq>");
  expect_error(model::ErrorCondition::feature_not_implemented, "e4");
  dispatch(pep,
           "<iq type='set' id='e5'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
           "<publish node='urn:xmpp:bookmarks:1'><item id='x@muc.other.org'>"
           "<conference xmlns='urn:xmpp:bookmarks:1'/></item></publish></pubsub></iq>");
  expect_error(model::ErrorCondition::feature_not_implemented, "e5");
  dispatch(pep,
           "<iq type='set' id='e6'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
           "<publish node='urn:xmpp:bookmarks:1'><item id='nosuch@conference.example.com'>"
           "<conference xmlns='urn:xmpp:bookmarks:1'/></item></publish></pubsub></iq>");
  expect_error(model::ErrorCondition::item_not_found, "e6");
  dispatch(pep,
           "<iq type='get' id='e7' to='romeo@example.com'>"
           "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"
           "<items node='urn:xmpp:bookmarks:1'/></pubsub></iq>");
  expect_error(model::ErrorCondition::forbidden, "e7");
}

TEST(BookmarkCodecTest, BookmarkedRoomsOnlyCountsOurService) {
  auto storage = xml(
      "<storage xmlns='storage:bookmarks'>"
      "<conference jid='a@conference.example.com'/><conference jid='b@elsewhere.org'/>"
      "<conference jid='c@conference.example.com/nick'/><conference jid='conference.example.com'/>"
      "<conference jid='a@conference.example.com'/></storage>");
  EXPECT_EQ(features::bookmarked_rooms(storage, "conference.example.com"),
            (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace parley::xmpp::test
