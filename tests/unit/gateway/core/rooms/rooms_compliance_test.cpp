// Compliance events of the rooms service (issue 6): each event is appended inside the store job
// of its action (an outbox that throws rolls the action back), actions that write nothing else
// complete only after their event committed, and unrecorded kinds cost nothing.
#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>

#include "gateway/api/compliance.hpp"
#include "tests/fakes/recording_outbox.hpp"
#include "tests/unit/gateway/core/rooms/rooms_test_support.hpp"

namespace parley::core::rooms::testing {
namespace {

using fakes::RecordingOutbox;

using api::ComplianceEventKind;
using model::ErrorCondition;

std::string detail(const api::ComplianceEvent& event, const std::string& key) {
  for (const auto& [k, v] : event.details) {
    if (k == key) return v;
  }
  return "<none>";
}

class RoomsComplianceTest : public RoomsTest {
 protected:
  void SetUp() override {
    RoomsTest::SetUp();
    api::ComplianceSettings settings;
    settings.enabled = true;
    settings.kinds.fill(true);
    use(settings);
    general_category();
    ASSERT_TRUE(create(alice_, "lobby").ok());
  }
  // Rebuilds the service with `settings` on the same store.
  void use(api::ComplianceSettings settings) {
    service_.reset();
    service_ = std::make_unique<RoomsService>(
        config_, *jobs_, [this] { return clock_.now(); }, Dispatcher{},
        api::ComplianceRecorder{settings, &outbox_});
    Await<bool> loaded;
    service_->load([cb = loaded.callback()](bool ok, const std::string&) { cb(ok); });
    ASSERT_TRUE(loaded.get());
  }
  api::RoomsResult<api::JoinResult> join_from(const std::string& endpoint,
                                              std::shared_ptr<RecordingParticipant> participant,
                                              const std::string& nickname) {
    Await<api::RoomsResult<api::JoinResult>> done;
    api::JoinRequest request{"lobby", addr(endpoint), nickname, std::move(participant), {}};
    rooms().join(std::move(request), done.callback());
    return done.get();
  }
  api::RoomActor actor(const model::Address& user) {
    return api::RoomActor{user, false, api::RequestSource{model::Protocol::xmpp, "x/y"}};
  }

  RecordingOutbox outbox_;
  std::shared_ptr<RecordingParticipant> a_ = std::make_shared<RecordingParticipant>();
  std::shared_ptr<RecordingParticipant> b_ = std::make_shared<RecordingParticipant>();
};

TEST_F(RoomsComplianceTest, CreateIsRecordedWithItsSettings) {
  const auto created = outbox_.of(ComplianceEventKind::room_create);
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].room, "lobby");
  EXPECT_EQ(created[0].actor.account, alice_);
  EXPECT_EQ(detail(created[0], "name"), "Room lobby");
  EXPECT_EQ(detail(created[0], "category"), "general");
  EXPECT_EQ(created[0].id.size(), 32u);
}

TEST_F(RoomsComplianceTest, PostEventIsWrittenWithTheMessage) {
  ASSERT_TRUE(join_from("alice@example.com/desk", a_, "Alice").ok());
  api::PostRequest request;
  request.room = "lobby";
  request.participant = a_.get();
  request.body = "hello";
  request.origin_id = "o-1";
  request.source = api::RequestSource{model::Protocol::xmpp, "alice@example.com/desk"};
  Await<api::RoomsResult<std::shared_ptr<const model::RoomMessage>>> done;
  rooms().post(std::move(request), done.callback());
  auto posted = done.get();
  ASSERT_TRUE(posted.ok());
  // Already there when the post is acknowledged: same job, same commit.
  const auto posts = outbox_.of(ComplianceEventKind::room_post);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].message_id, (*posted)->id);
  EXPECT_EQ(posts[0].content, "hello");
  EXPECT_EQ(posts[0].room, "lobby");
  EXPECT_EQ(posts[0].actor.account, alice_);
  EXPECT_EQ(posts[0].actor.endpoint, "alice@example.com/desk");
  EXPECT_EQ(posts[0].actor.protocol, model::Protocol::xmpp);
  EXPECT_EQ(detail(posts[0], "origin_id"), "o-1");
  EXPECT_EQ(posts[0].time, clock_.now());
}

TEST_F(RoomsComplianceTest, AFailingOutboxRollsThePostBack) {
  ASSERT_TRUE(join_from("alice@example.com/desk", a_, "Alice").ok());
  outbox_.fail(true);
  auto posted = post("lobby", a_.get(), "lost");
  ASSERT_FALSE(posted.ok());
  EXPECT_EQ(condition(posted), ErrorCondition::internal_server_error);
  outbox_.fail(false);
  // Neither the message nor its fan-out exist: no action without its event.
  Await<api::RoomsResult<api::HistoryPage>> page;
  rooms().history(api::RoomActor{alice_}, api::HistoryQuery{"lobby"}, page.callback());
  auto history = page.get();
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->messages.empty());
  EXPECT_TRUE(a_->of<api::RoomMessagePosted>().empty());
}

TEST_F(RoomsComplianceTest, JoinCompletesAfterItsEventAndLeaveIsRecorded) {
  auto joined = join_from("bob@example.com/phone", b_, "Bob");
  ASSERT_TRUE(joined.ok());
  auto joins = outbox_.of(ComplianceEventKind::room_join);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].actor.account, bob_);
  EXPECT_EQ(joins[0].actor.endpoint, "bob@example.com/phone");  // the full address by default
  EXPECT_EQ(detail(joins[0], "nickname"), "Bob");
  rooms().leave("lobby", b_.get());
  drain_store();
  auto leaves = outbox_.of(ComplianceEventKind::room_leave);
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].actor.endpoint, "bob@example.com/phone");
  EXPECT_EQ(detail(leaves[0], "cause"), "left");
}

TEST_F(RoomsComplianceTest, AJoinWhoseEventCannotBeWrittenFails) {
  outbox_.fail(true);
  auto joined = join_from("bob@example.com/phone", b_, "Bob");
  outbox_.fail(false);
  ASSERT_FALSE(joined.ok());
  // Not seated: a post from that session is refused.
  EXPECT_EQ(condition(post("lobby", b_.get(), "hi")), ErrorCondition::not_acceptable);
}

TEST_F(RoomsComplianceTest, HistoryFetchIsARead) {
  ASSERT_TRUE(join_from("alice@example.com/desk", a_, "Alice").ok());
  ASSERT_TRUE(post("lobby", a_.get(), "one").ok());
  ASSERT_TRUE(post("lobby", a_.get(), "two").ok());
  Await<api::RoomsResult<api::HistoryPage>> page;
  rooms().history(actor(bob_), api::HistoryQuery{"lobby"}, page.callback());
  ASSERT_TRUE(page.get().ok());
  const auto reads = outbox_.of(ComplianceEventKind::room_read);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].actor.account, bob_);
  EXPECT_EQ(reads[0].actor.endpoint, "x/y");
  EXPECT_EQ(detail(reads[0], "count"), "2");
  EXPECT_EQ(detail(reads[0], "query"), "history");
}

TEST_F(RoomsComplianceTest, ManagementActionsAreRecordedInOrder) {
  ASSERT_TRUE(join_from("bob@example.com/phone", b_, "Bob").ok());
  Await<ErrorResult> topic;
  rooms().set_topic(actor(alice_), "lobby", "News", topic.callback());
  ASSERT_FALSE(topic.get());
  api::RoomSettings changes;
  changes.description = "about things";
  Await<api::RoomsResult<std::shared_ptr<const model::Room>>> modified;
  rooms().modify_room(actor(alice_), "lobby", changes, modified.callback());
  ASSERT_TRUE(modified.get().ok());
  ASSERT_FALSE(set_role(alice_, "lobby", carol_, model::RoomRole::member));
  Await<ErrorResult> invited;
  rooms().invite(actor(alice_), "lobby", dave_, "come", invited.callback());
  ASSERT_FALSE(invited.get());
  Await<ErrorResult> kicked;
  rooms().kick(actor(alice_), "lobby", "Bob", "behave", kicked.callback());
  ASSERT_FALSE(kicked.get());
  ASSERT_TRUE(b_->wait_for<api::ParticipantRemoved>(1));
  Await<ErrorResult> banned;
  rooms().ban(actor(alice_), "lobby", bob_, "again", banned.callback());
  ASSERT_FALSE(banned.get());
  Await<ErrorResult> deleted;
  rooms().delete_room(actor(alice_), "lobby", "closing", deleted.callback());
  ASSERT_FALSE(deleted.get());

  std::vector<std::string> kinds;
  for (const auto& e : outbox_.events()) kinds.emplace_back(api::kind_name(e.kind));
  EXPECT_EQ(kinds, (std::vector<std::string>{"room.create", "room.join", "room.topic",
                                             "room.modify", "room.role", "room.invite", "room.role",
                                             "room.role", "room.delete"}));
  const auto events = outbox_.events();
  EXPECT_EQ(events[2].content, "News");
  EXPECT_EQ(detail(events[3], "description"), "about things");
  EXPECT_EQ(events[4].peer, carol_);
  EXPECT_EQ(detail(events[4], "role"), "member");
  EXPECT_EQ(events[5].peer, dave_);
  EXPECT_EQ(events[5].content, "come");
  EXPECT_EQ(detail(events[6], "action"), "kick");
  EXPECT_EQ(events[6].peer, bob_);
  EXPECT_EQ(detail(events[7], "action"), "ban");
  EXPECT_EQ(events[8].content, "closing");
  for (std::size_t i : {2, 3, 5, 6, 7, 8}) EXPECT_EQ(events[i].actor.endpoint, "x/y") << i;
}

TEST_F(RoomsComplianceTest, AKickWhoseEventFailsDoesNotHappen) {
  ASSERT_TRUE(join_from("bob@example.com/phone", b_, "Bob").ok());
  outbox_.fail(true);
  Await<ErrorResult> kicked;
  rooms().kick(actor(alice_), "lobby", "Bob", "", kicked.callback());
  auto result = kicked.get();
  outbox_.fail(false);
  ASSERT_TRUE(result);
  EXPECT_TRUE(b_->of<api::ParticipantRemoved>().empty());
  EXPECT_TRUE(post("lobby", b_.get(), "still here").ok());
}

TEST_F(RoomsComplianceTest, OnlyTheChosenKindsAreRecorded) {
  api::ComplianceSettings settings;
  settings.enabled = true;
  settings.kinds[static_cast<std::size_t>(ComplianceEventKind::room_post)] = true;
  use(settings);
  const auto before = outbox_.events().size();
  ASSERT_TRUE(join_from("alice@example.com/desk", a_, "Alice").ok());
  ASSERT_TRUE(post("lobby", a_.get(), "counted").ok());
  rooms().leave("lobby", a_.get());
  drain_store();
  const auto events = outbox_.events();
  ASSERT_EQ(events.size(), before + 1);
  EXPECT_EQ(events.back().kind, ComplianceEventKind::room_post);

  settings.enabled = false;  // switched off: nothing at all
  use(settings);
  ASSERT_TRUE(join_from("alice@example.com/desk", a_, "Alice").ok());
  ASSERT_TRUE(post("lobby", a_.get(), "not counted").ok());
  drain_store();
  EXPECT_EQ(outbox_.events().size(), before + 1);
}

}  // namespace
}  // namespace parley::core::rooms::testing
