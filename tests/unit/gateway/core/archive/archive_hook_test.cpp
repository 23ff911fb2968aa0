// The core records routed 1:1 messages in the archive (XEP-0313 §5.1.1): chat and normal
// messages with a body, delivered or stored offline, once, with their stanza id and stamp.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "gateway/api/message_archive.hpp"
#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

class RecordingArchive final : public api::MessageArchive {
 public:
  std::vector<std::shared_ptr<const model::Message>> recorded;
  void record(std::shared_ptr<const model::Message> message) override {
    recorded.push_back(std::move(message));
  }
  void query(
      api::ArchiveQuery,
      std::function<void(model::Expected<api::ArchivePage, model::StanzaError>)> done) override {
    done(api::ArchivePage{});
  }
};

class ArchiveHookTest : public CoreHarness {
 protected:
  ArchiveHookTest() {
    core_ = std::make_unique<CoreService>(
        CoreConfig{}, executor_, [this] { return now_; },
        [this] { return "sid-" + std::to_string(++ids_); }, &archive_);
    create_account("alice@localhost");
    create_account("bob@localhost");
  }
  RecordingArchive archive_;
};

TEST_F(ArchiveHookTest, DeliveredChatIsRecordedWithIdAndStamp) {
  auto bob = login("bob@localhost/desk");
  send("alice@localhost/a", "bob@localhost", "hi");
  ASSERT_EQ(archive_.recorded.size(), 1u);
  const auto& m = *archive_.recorded[0];
  EXPECT_EQ(m.body, "hi");
  EXPECT_EQ(m.stanza_id, "sid-1");
  EXPECT_EQ(m.stamp, kNow);
  EXPECT_EQ(m.from.to_string(), "alice@localhost/a");
  // The delivered copy carries the same stanza id (XEP-0359: stable).
  const auto delivered = bob->of<api::MessageDelivery>();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].message->stanza_id, "sid-1");
}

TEST_F(ArchiveHookTest, OfflineMessagesAreRecordedOnceAndNotAgainOnRedelivery) {
  send("alice@localhost/a", "bob@localhost", "while you were out", model::MessageType::normal);
  ASSERT_EQ(archive_.recorded.size(), 1u);
  auto bob = login("bob@localhost/desk");  // offline messages flushed on presence
  EXPECT_EQ(bob->of<api::MessageDelivery>().size(), 1u);
  EXPECT_EQ(archive_.recorded.size(), 1u);
}

TEST_F(ArchiveHookTest, OnlyChatAndNormalWithBodyAreRecorded) {
  login("bob@localhost/desk");
  send("alice@localhost/a", "bob@localhost", "", model::MessageType::chat);  // e.g. states
  send("alice@localhost/a", "bob@localhost", "news", model::MessageType::headline);
  send("alice@localhost/a", "bob@localhost", "room?", model::MessageType::groupchat);
  send("alice@localhost/a", "nobody@localhost", "lost");  // no such account
  EXPECT_TRUE(archive_.recorded.empty());
  send("alice@localhost/a", "bob@localhost/desk", "direct");  // full address
  EXPECT_EQ(archive_.recorded.size(), 1u);
}

TEST_F(ArchiveHookTest, NoArchiveMeansNoRecording) {
  core_ = std::make_unique<CoreService>(CoreConfig{}, executor_, [this] { return now_; });
  create_account("alice@localhost");
  create_account("bob@localhost");
  login("bob@localhost/desk");
  send("alice@localhost/a", "bob@localhost", "hi");
  EXPECT_TRUE(archive_.recorded.empty());
}

}  // namespace
}  // namespace parley::core::testing
