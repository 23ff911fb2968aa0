// History paging (XEP-0313 + XEP-0059 RSM) and full-text search through the service.
#include <gtest/gtest.h>

#include "tests/unit/gateway/core/rooms/rooms_test_support.hpp"

namespace parley::core::rooms::testing {
namespace {

using model::ErrorCondition;

class RoomsArchiveTest : public RoomsTest {
 protected:
  void SetUp() override {
    RoomsTest::SetUp();
    general_category();
    ASSERT_TRUE(create(alice_, "log").ok());
    ASSERT_TRUE(join("log", alice_, "Alice", a_).ok());
  }
  // Posts n messages one second apart; returns their ids.
  std::vector<std::string> fill(int n) {
    std::vector<std::string> ids;
    for (int i = 1; i <= n; ++i) {
      clock_.advance(std::chrono::seconds(1));
      auto posted = post("log", a_.get(),
                         "entry " + std::to_string(i) + (i % 50 == 0 ? " milestone reached" : ""));
      EXPECT_TRUE(posted.ok());
      if (posted.ok()) ids.push_back((*posted)->id);
    }
    return ids;
  }
  api::RoomsResult<api::HistoryPage> page(api::HistoryQuery query, const model::Address& who = {}) {
    Await<api::RoomsResult<api::HistoryPage>> done;
    rooms().history(api::RoomActor{who.empty() ? bob_ : who}, std::move(query), done.callback());
    return done.get();
  }
  static std::vector<std::string> ids_of(const api::HistoryPage& p) {
    std::vector<std::string> ids;
    for (const auto& m : p.messages) ids.push_back(m->id);
    return ids;
  }
  std::shared_ptr<RecordingParticipant> a_ = std::make_shared<RecordingParticipant>();
};

TEST_F(RoomsArchiveTest, IdsIncreaseAndPagesWalkTheWholeArchive) {
  const auto ids = fill(250);
  for (std::size_t i = 1; i < ids.size(); ++i) {
    ASSERT_LT(*model::parse_room_message_id(ids[i - 1]), *model::parse_room_message_id(ids[i]));
  }
  // Forward with `after`.
  std::vector<std::string> forward;
  api::HistoryQuery q{"log"};
  q.limit = 40;
  for (;;) {
    auto p = page(q);
    ASSERT_TRUE(p.ok());
    auto got = ids_of(*p);
    forward.insert(forward.end(), got.begin(), got.end());
    if (p->complete) break;
    q.after_id = got.back();
  }
  EXPECT_EQ(forward, ids);
  // Backward from the newest with `before` (RSM <before/>), pages come oldest first.
  std::vector<std::string> backward;
  api::HistoryQuery b{"log"};
  b.limit = 64;
  b.order = model::HistoryOrder::newest_first;
  for (;;) {
    auto p = page(b);
    ASSERT_TRUE(p.ok());
    auto got = ids_of(*p);
    backward.insert(backward.begin(), got.begin(), got.end());
    if (p->complete) break;
    b.before_id = got.front();
  }
  EXPECT_EQ(backward, ids);
}

TEST_F(RoomsArchiveTest, TimeWindowsAndLimits) {
  const auto start = clock_.now();
  const auto ids = fill(300);
  api::HistoryQuery q{"log"};
  q.since = start + std::chrono::seconds(101);
  q.until = start + std::chrono::seconds(110);
  auto p = page(q);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ids_of(*p), std::vector<std::string>(ids.begin() + 100, ids.begin() + 110));
  EXPECT_TRUE(p->complete);
  q = api::HistoryQuery{"log"};
  q.limit = 100000;  // capped by the service
  p = page(q);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->messages.size(), 300u);
}

TEST_F(RoomsArchiveTest, UnknownIdsAreItemNotFound) {
  fill(3);
  api::HistoryQuery q{"log"};
  q.after_id = "999999";
  EXPECT_EQ(condition(page(q)), ErrorCondition::item_not_found);
  q.after_id = "not-a-number";
  EXPECT_EQ(condition(page(q)), ErrorCondition::item_not_found);
  q = api::HistoryQuery{"nowhere"};
  EXPECT_EQ(condition(page(q)), ErrorCondition::item_not_found);
}

TEST_F(RoomsArchiveTest, ArchivesOfMembersOnlyRoomsNeedARole) {
  ASSERT_TRUE(create(alice_, "closed", model::RoomPrivacy::closed).ok());
  ASSERT_TRUE(create(alice_, "secret", model::RoomPrivacy::secret).ok());
  EXPECT_EQ(condition(page(api::HistoryQuery{"closed"})), ErrorCondition::forbidden);
  EXPECT_EQ(condition(page(api::HistoryQuery{"secret"})), ErrorCondition::item_not_found);
  EXPECT_TRUE(page(api::HistoryQuery{"closed"}, alice_).ok());
}

TEST_F(RoomsArchiveTest, FullTextSearchRespectsReadRights) {
  fill(200);  // milestones at 50, 100, 150, 200
  ASSERT_TRUE(create(alice_, "hidden", model::RoomPrivacy::secret).ok());
  auto h = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("hidden", alice_, "Alice", h).ok());
  ASSERT_TRUE(post("hidden", h.get(), "secret milestone").ok());

  auto search = [&](const model::Address& who, api::MessageSearch query) {
    Await<api::RoomsResult<std::vector<std::shared_ptr<const model::RoomMessage>>>> done;
    rooms().search_messages(api::RoomActor{who}, std::move(query), done.callback());
    return done.get();
  };
  api::MessageSearch q;
  q.text = "milestone";
  auto bob_sees = search(bob_, q);
  ASSERT_TRUE(bob_sees.ok());
  ASSERT_EQ(bob_sees->size(), 4u);
  EXPECT_EQ((*bob_sees)[0]->body, "entry 200 milestone reached");  // newest first
  auto alice_sees = search(alice_, q);
  ASSERT_TRUE(alice_sees.ok());
  EXPECT_EQ(alice_sees->size(), 5u);
  EXPECT_EQ((*alice_sees)[0]->room, "hidden");

  q.room = "hidden";
  EXPECT_EQ(condition(search(bob_, q)), ErrorCondition::item_not_found);
  q.room = "log";
  q.text = "milestone REACHED";
  q.limit = 2;
  auto paged = search(bob_, q);
  ASSERT_TRUE(paged.ok());
  ASSERT_EQ(paged->size(), 2u);
  q.before_id = (*paged)[1]->id;
  auto next = search(bob_, q);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 2u);
  EXPECT_EQ((*next)[1]->body, "entry 50 milestone reached");
  q.text = "  ";
  EXPECT_EQ(condition(search(bob_, q)), ErrorCondition::bad_request);
}

TEST_F(RoomsArchiveTest, RetentionPurgesOldMessagesButNeverReusesIds) {
  model::Category shortlived;
  shortlived.name = "short";
  shortlived.creators = {alice_};
  shortlived.retention = std::chrono::seconds(60);
  ASSERT_FALSE(put_category(shortlived));
  api::RoomSettings settings;
  settings.id = "ephemeral";
  settings.name = "Ephemeral";
  settings.category = "short";
  Await<api::RoomsResult<std::shared_ptr<const model::Room>>> created;
  rooms().create_room(api::RoomActor{alice_}, settings, created.callback());
  ASSERT_TRUE(created.get().ok());
  auto e = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("ephemeral", alice_, "Alice", e).ok());
  std::string last;
  for (int i = 0; i < 5; ++i) {
    clock_.advance(std::chrono::seconds(30));
    last = (*post("ephemeral", e.get(), "tick"))->id;
  }
  Await<std::optional<std::size_t>> purged;
  rooms().purge_expired(purged.callback());
  EXPECT_EQ(purged.get(), std::optional<std::size_t>(2));  // older than 60 s
  reopen();
  auto e2 = std::make_shared<RecordingParticipant>();
  ASSERT_TRUE(join("ephemeral", alice_, "Alice", e2).ok());
  auto next = post("ephemeral", e2.get(), "after restart");
  ASSERT_TRUE(next.ok());
  EXPECT_GT(*model::parse_room_message_id((*next)->id), *model::parse_room_message_id(last));
}

}  // namespace
}  // namespace parley::core::rooms::testing
