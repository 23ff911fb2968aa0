// api::Core::watch_presence: presence without a roster subscription (SIP organisation policy).
#include "gateway/core/presence_watch.hpp"

#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

using model::PresenceType;

class PresenceWatchTest : public CoreHarness {
 protected:
  PresenceWatchTest() {
    create_account("alice@localhost");
    create_account("bob@localhost");
  }

  static std::vector<std::shared_ptr<const model::Presence>> presences(
      const fakes::RecordingEndpoint& endpoint) {
    std::vector<std::shared_ptr<const model::Presence>> out;
    for (const auto& d : endpoint.of<api::PresenceDelivery>()) out.push_back(d.presence);
    return out;
  }
};

TEST_F(PresenceWatchTest, WatcherGetsCurrentAndLaterPresenceWithoutSubscription) {
  login("bob@localhost/pc");
  auto watcher = bind("alice@localhost/sip");
  ASSERT_TRUE(core().watch_presence(addr("alice@localhost/sip"), addr("bob@localhost")));
  auto now = presences(*watcher);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0]->from, addr("bob@localhost/pc"));
  EXPECT_EQ(now[0]->type, PresenceType::available);

  watcher->clear();
  available("bob@localhost/pc", 0, "in a meeting");
  auto later = presences(*watcher);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0]->status, "in a meeting");

  watcher->clear();
  core().unbind(addr("bob@localhost/pc"), nullptr);
  auto gone = presences(*watcher);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0]->type, PresenceType::unavailable);
}

TEST_F(PresenceWatchTest, OfflineTargetIsReportedUnavailableFromItsBareAddress) {
  auto watcher = bind("alice@localhost/sip");
  ASSERT_TRUE(core().watch_presence(addr("alice@localhost/sip"), addr("bob@localhost")));
  auto now = presences(*watcher);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0]->from, addr("bob@localhost"));
  EXPECT_EQ(now[0]->type, PresenceType::unavailable);
}

TEST_F(PresenceWatchTest, UnwatchAndUnbindStopDeliveries) {
  auto watcher = bind("alice@localhost/sip");
  EXPECT_FALSE(core().watch_presence(addr("alice@localhost/other"), addr("bob@localhost")));
  ASSERT_TRUE(core().watch_presence(addr("alice@localhost/sip"), addr("bob@localhost")));
  core().unwatch_presence(addr("alice@localhost/sip"), addr("bob@localhost"));
  watcher->clear();
  login("bob@localhost/pc");
  EXPECT_TRUE(presences(*watcher).empty());

  ASSERT_TRUE(core().watch_presence(addr("alice@localhost/sip"), addr("bob@localhost")));
  core().unbind(addr("alice@localhost/sip"), watcher.get());
  auto again = bind("alice@localhost/sip");
  available("bob@localhost/pc", 0, "back");
  // A new endpoint at the same address does not inherit the old one's watches.
  for (const auto& p : presences(*again)) EXPECT_NE(p->status, "back");
}

}  // namespace
}  // namespace parley::core::testing
