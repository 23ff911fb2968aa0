// The im.message compliance event (issue 6) rides in the archive job of its message: on the
// real SQLite executor, an outbox that throws rolls the archive rows back with it.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "gateway/api/compliance.hpp"
#include "gateway/core/archive/archive_service.hpp"
#include "gateway/storage/archive/archive_store.hpp"
#include "gateway/storage/message_json.hpp"
#include "gateway/storage/store_executor.hpp"
#include "tests/fakes/recording_outbox.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::core {
namespace {

using fakes::RecordingOutbox;

using storage::testing::addr;
using Result = model::Expected<api::ArchivePage, model::StanzaError>;

class ArchiveComplianceTest : public storage::testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = std::make_unique<storage::SqliteArchiveStore>(db().sql());
    executor_ = std::make_unique<storage::SqliteStoreExecutor>(std::move(db_));
    jobs_ = std::make_unique<api::StoreArchiveJobs>(*executor_, *store_);
    use(true);
  }
  void TearDown() override {
    service_.reset();
    executor_->stop();
  }
  void use(bool record_messages, bool archive = true) {
    api::ComplianceSettings settings;
    settings.enabled = true;
    settings.kinds[static_cast<std::size_t>(api::ComplianceEventKind::message)] = record_messages;
    ArchiveConfig config;
    config.enabled = archive;
    service_ = std::make_unique<ArchiveService>(*jobs_, config,
                                                api::ComplianceRecorder{settings, &outbox_});
  }
  std::shared_ptr<const model::Message> message(int i) {
    auto m = std::make_shared<model::Message>();
    m->id = "client-" + std::to_string(i);
    m->from = addr("alice@example.com/desk");
    m->to = addr("bob@example.com");
    m->type = model::MessageType::chat;
    m->body = "hello " + std::to_string(i);
    m->stanza_id = "sid-" + std::to_string(i);
    m->stamp = storage::from_unix_micros(1'700'000'000'000'000 + i);
    return m;
  }
  std::size_t archived(const model::Address& owner) {
    std::promise<Result> promise;
    api::ArchiveQuery q;
    q.owner = owner;
    service_->query(q, [&promise](Result r) { promise.set_value(std::move(r)); });
    auto future = promise.get_future();
    EXPECT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    auto page = future.get();
    return page.ok() ? page->messages.size() : 0;
  }

  // Returns once every job submitted before has run (jobs run in submission order; this one
  // may not wait, so it also ends the group-commit wait of the archive's job).
  void drain_store() {
    std::promise<void> ran;
    executor_->submit({[](api::Stores&) {}, [&ran](bool, const std::string&) { ran.set_value(); }});
    ASSERT_EQ(ran.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  }
  std::size_t rows_in_store() {
    std::size_t rows = 0;
    std::promise<void> ran;
    executor_->submit({[this, &rows](api::Stores&) {
                         rows = store_->slice(api::ArchiveRange{alice_}).messages.size() +
                                store_->slice(api::ArchiveRange{bob_}).messages.size();
                       },
                       [&ran](bool, const std::string&) { ran.set_value(); }});
    EXPECT_EQ(ran.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return rows;
  }

  RecordingOutbox outbox_;
  std::unique_ptr<storage::SqliteArchiveStore> store_;
  std::unique_ptr<storage::SqliteStoreExecutor> executor_;
  std::unique_ptr<api::StoreArchiveJobs> jobs_;
  std::unique_ptr<ArchiveService> service_;
};

TEST_F(ArchiveComplianceTest, EachMessageHasItsEventNextToItsRows) {
  service_->record(message(1));
  service_->record(message(2));
  EXPECT_EQ(archived(alice_), 2u);  // query() runs after the record jobs
  const auto events = outbox_.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, api::ComplianceEventKind::message);
  EXPECT_EQ(events[0].actor.account, alice_);
  EXPECT_EQ(events[0].actor.endpoint, "alice@example.com/desk");
  EXPECT_EQ(events[0].peer, bob_);
  EXPECT_EQ(events[0].content, "hello 1");
  EXPECT_EQ(events[0].message_id, "sid-1");
  EXPECT_EQ(events[0].time, message(1)->stamp);
  EXPECT_TRUE(events[0].room.empty());
  EXPECT_EQ(events[1].message_id, "sid-2");
  EXPECT_NE(events[0].id, events[1].id);
}

TEST_F(ArchiveComplianceTest, AFailingOutboxRollsTheArchiveRowsBack) {
  outbox_.fail(true);
  service_->record(message(1));
  EXPECT_EQ(archived(alice_), 0u);
  EXPECT_EQ(archived(bob_), 0u);
  outbox_.fail(false);
  service_->record(message(2));
  EXPECT_EQ(archived(bob_), 1u);
  ASSERT_EQ(outbox_.events().size(), 1u);
  EXPECT_EQ(outbox_.events()[0].message_id, "sid-2");
}

TEST_F(ArchiveComplianceTest, NothingIsRecordedWhenTheKindIsOff) {
  use(false);
  service_->record(message(1));
  EXPECT_EQ(archived(alice_), 1u);
  EXPECT_TRUE(outbox_.events().empty());
}

TEST_F(ArchiveComplianceTest, WithTheArchiveOffTheEventsAreStillRecorded) {
  use(true, /*archive=*/false);
  service_->record(message(1));
  service_->record(message(2));
  drain_store();
  const auto events = outbox_.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].message_id, "sid-1");
  EXPECT_EQ(events[1].message_id, "sid-2");
  EXPECT_EQ(rows_in_store(), 0u);  // and no archive rows
}

}  // namespace
}  // namespace parley::core
