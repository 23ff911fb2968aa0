// SqliteComplianceOutbox on a real database: append in the caller's transaction, ordered
// batches, two exporters' cursors, deletion below the slowest, status and stats.
#include "gateway/storage/compliance/compliance_store.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/Transaction.h>

#include <nlohmann/json.hpp>

#include "gateway/storage/database.hpp"
#include "tests/unit/gateway/compliance/compliance_test_util.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using compliance_testing::make_event;

class ComplianceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open(dir_.path() / "parley.db");
    ASSERT_TRUE(opened) << opened.error();
    db_ = std::move(opened).value();
    outbox_ = std::make_unique<SqliteComplianceOutbox>(db_->sql(), &db_->statements());
  }

  std::vector<api::ComplianceEvent> append(int count) {
    std::vector<api::ComplianceEvent> events;
    for (int i = 0; i < count; ++i) {
      events.push_back(make_event(i));
      outbox_->append(events.back());
    }
    return events;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqliteComplianceOutbox> outbox_;
  const std::vector<std::string> names_{"files", "vault"};
  const model::Timestamp now_ = core::compliance::from_micros(1'800'000'000'000'000);
};

TEST_F(ComplianceStoreTest, BatchesAreOrderedAndComplete) {
  const auto events = append(7);
  auto first = outbox_->read_after(0, 3);
  ASSERT_EQ(first.rows.size(), 3u);
  EXPECT_EQ(first.rows[0].event, events[0]);
  EXPECT_EQ(first.rows[2].event, events[2]);
  EXPECT_LT(first.rows[0].seq, first.rows[1].seq);
  EXPECT_EQ(first.last_seq, first.rows[2].seq);
  auto rest = outbox_->read_after(first.last_seq, 100);
  ASSERT_EQ(rest.rows.size(), 4u);
  EXPECT_EQ(rest.rows[0].event, events[3]);
  EXPECT_EQ(rest.rows[3].event, events[6]);
  auto none = outbox_->read_after(rest.last_seq, 100);
  EXPECT_TRUE(none.rows.empty());
  EXPECT_EQ(none.last_seq, rest.last_seq);
  EXPECT_TRUE(outbox_->read_after(0, 0).rows.empty());
}

TEST_F(ComplianceStoreTest, AppendRollsBackWithItsTransaction) {
  {
    SQLite::Transaction transaction(db_->sql());
    outbox_->append(make_event(1));
    // no commit: the recorded action failed
  }
  EXPECT_TRUE(outbox_->read_after(0, 10).rows.empty());
  {
    SQLite::Transaction transaction(db_->sql());
    outbox_->append(make_event(2));
    transaction.commit();
  }
  EXPECT_EQ(outbox_->read_after(0, 10).rows.size(), 1u);
}

TEST_F(ComplianceStoreTest, DuplicateIdThrows) {
  auto event = make_event(1);
  outbox_->append(event);
  EXPECT_ANY_THROW(outbox_->append(event));
  event.id.clear();
  EXPECT_ANY_THROW(outbox_->append(event));
}

TEST_F(ComplianceStoreTest, DeletesOnlyWhatEveryExporterConfirmed) {
  append(6);
  const auto batch = outbox_->read_after(0, 100);
  ASSERT_EQ(batch.rows.size(), 6u);
  const std::int64_t third = batch.rows[2].seq;
  const std::int64_t fifth = batch.rows[4].seq;

  EXPECT_EQ(outbox_->cursors(names_), (std::vector<std::int64_t>{0, 0}));
  outbox_->confirm("files", fifth, 5, now_);
  EXPECT_EQ(outbox_->delete_confirmed(names_), 0u) << "vault confirmed nothing yet";
  outbox_->confirm("vault", third, 3, now_);
  EXPECT_EQ(outbox_->delete_confirmed(names_), 3u);
  EXPECT_EQ(outbox_->read_after(0, 100).rows.front().seq, batch.rows[3].seq);

  // A cursor never moves backwards (a late duplicate commit).
  outbox_->confirm("files", third, 0, now_);
  EXPECT_EQ(outbox_->cursors(names_), (std::vector<std::int64_t>{fifth, third}));

  outbox_->confirm("vault", batch.last_seq, 3, now_);
  EXPECT_EQ(outbox_->delete_confirmed(names_), 2u) << "up to files' cursor";
  EXPECT_EQ(outbox_->delete_confirmed({}), 0u);
  // An exporter only in the list (its cursor 0) holds everything back.
  EXPECT_EQ(outbox_->delete_confirmed({"files", "vault", "new"}), 0u);
  EXPECT_EQ(outbox_->read_after(0, 100).rows.size(), 1u);
}

TEST_F(ComplianceStoreTest, StatsShowDepthAgeAndPerExporterStatus) {
  auto empty = outbox_->stats(names_, now_);
  EXPECT_EQ(empty.depth, 0);
  EXPECT_FALSE(empty.oldest.has_value());
  EXPECT_EQ(empty.oldest_age.count(), 0);

  const auto events = append(4);
  const auto batch = outbox_->read_after(0, 100);
  outbox_->confirm("files", batch.rows[1].seq, 2, now_);
  outbox_->record_failure("vault", "HTTP 503 Service Unavailable", now_);
  outbox_->record_failure("vault", "timeout after 100 ms", now_ + std::chrono::seconds(1));

  const auto stats = outbox_->stats(names_, now_);
  EXPECT_EQ(stats.depth, 4);
  ASSERT_TRUE(stats.oldest.has_value());
  EXPECT_EQ(*stats.oldest, events[0].time);
  EXPECT_EQ(stats.oldest_age,
            std::chrono::duration_cast<std::chrono::microseconds>(now_ - events[0].time));
  EXPECT_EQ(stats.last_seq, batch.last_seq);
  ASSERT_EQ(stats.exporters.size(), 2u);
  const auto& files = stats.exporters[0];
  EXPECT_EQ(files.name, "files");
  EXPECT_EQ(files.cursor, batch.rows[1].seq);
  EXPECT_EQ(files.pending, 2);
  EXPECT_EQ(files.exported, 2);
  EXPECT_EQ(files.last_success, now_);
  EXPECT_FALSE(files.last_failure.has_value());
  EXPECT_EQ(files.consecutive_failures, 0);
  const auto& vault = stats.exporters[1];
  EXPECT_EQ(vault.cursor, 0);
  EXPECT_EQ(vault.pending, 4);
  EXPECT_EQ(vault.last_error, "timeout after 100 ms");
  EXPECT_EQ(vault.consecutive_failures, 2);
  EXPECT_EQ(vault.last_failure, now_ + std::chrono::seconds(1));

  // A success clears the error and the failure count, keeps the last failure time.
  outbox_->confirm("vault", batch.last_seq, 4, now_ + std::chrono::seconds(2));
  const auto after = outbox_->stats(names_, now_).exporters[1];
  EXPECT_EQ(after.last_error, "");
  EXPECT_EQ(after.consecutive_failures, 0);
  EXPECT_EQ(after.exported, 4);
  EXPECT_EQ(after.pending, 0);
  EXPECT_TRUE(after.last_failure.has_value());

  const auto json = nlohmann::json::parse(compliance_stats_to_json(stats));
  EXPECT_EQ(json.at("depth"), 4);
  EXPECT_EQ(json.at("exporters").at(1).at("last_error"), "timeout after 100 ms");
  EXPECT_EQ(json.at("exporters").at(1).at("last_success"), nullptr);
  EXPECT_EQ(json.at("exporters").at(0).at("pending"), 2);
}

TEST_F(ComplianceStoreTest, UndecodableRowsAreSkippedButCounted) {
  append(1);
  db_->sql().exec(
      "INSERT INTO compliance_outbox (id, stamp_us, kind, event) VALUES ('bad', 1, 'x', '{')");
  append(1);
  const auto batch = outbox_->read_after(0, 10);
  EXPECT_EQ(batch.rows.size(), 2u);
  EXPECT_EQ(batch.last_seq, 3);
}

}  // namespace
}  // namespace parley::storage
