// ComplianceWorker on a real store executor and outbox: ordered, complete export to two
// exporters while one fails and recovers; deletion after both confirmed; status; bounded stop.
#include "gateway/core/compliance/compliance_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "gateway/storage/compliance/compliance_store.hpp"
#include "gateway/storage/database.hpp"
#include "gateway/storage/store_executor.hpp"
#include "tests/unit/gateway/compliance/compliance_test_util.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::core::compliance {
namespace {

using compliance_testing::eventually;
using compliance_testing::make_event;

// Records what it confirmed; fails the first `failures` calls (or all while `broken`).
class FakeExporter final : public Exporter {
 public:
  FakeExporter(std::string name, int failures) : name_(std::move(name)), failures_(failures) {}
  const std::string& name() const override { return name_; }
  ExportResult export_batch(std::span<const api::ComplianceEvent> events) override {
    std::lock_guard lock(mutex_);
    ++calls_;
    if (broken_ || failures_ > 0) {
      if (failures_ > 0) --failures_;
      return ExportResult::failure("injected failure " + std::to_string(calls_));
    }
    received_.insert(received_.end(), events.begin(), events.end());
    max_batch_ = std::max(max_batch_, events.size());
    return ExportResult::success();
  }
  std::vector<std::string> ids() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& e : received_) out.push_back(e.id);
    return out;
  }
  std::size_t received() const {
    std::lock_guard lock(mutex_);
    return received_.size();
  }
  int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::size_t max_batch() const {
    std::lock_guard lock(mutex_);
    return max_batch_;
  }
  void set_broken(bool broken) {
    std::lock_guard lock(mutex_);
    broken_ = broken;
  }

 private:
  const std::string name_;
  mutable std::mutex mutex_;
  int failures_;
  bool broken_ = false;
  int calls_ = 0;
  std::size_t max_batch_ = 0;
  std::vector<api::ComplianceEvent> received_;
};

class ComplianceWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = storage::Database::open(dir_.path() / "parley.db");
    ASSERT_TRUE(opened) << opened.error();
    outbox_ = std::make_unique<storage::SqliteComplianceOutbox>(opened.value()->sql());
    executor_ = std::make_unique<storage::SqliteStoreExecutor>(std::move(opened).value());
    config_.enabled = true;
    config_.batch_size = 7;
    config_.poll_interval = std::chrono::milliseconds(20);
    config_.retry_min = std::chrono::milliseconds(1);
    config_.retry_max = std::chrono::milliseconds(8);
  }
  void TearDown() override {
    worker_.reset();
    executor_->stop();
  }

  // Appends through store jobs, as the services do; returns the ids in order.
  std::vector<std::string> append(int count, int base = 0) {
    std::vector<std::string> ids;
    std::atomic<int> committed{0};
    for (int i = 0; i < count; ++i) {
      auto event = make_event(base + i);
      ids.push_back(event.id);
      executor_->submit(api::StoreJob{[this, event](api::Stores&) { outbox_->append(event); },
                                      [&committed](bool ok, const std::string&) {
                                        if (ok) ++committed;
                                      }});
    }
    EXPECT_TRUE(eventually([&] { return committed.load() == count; }));
    return ids;
  }

  api::ComplianceStats stats(const std::vector<std::string>& names) {
    std::optional<api::ComplianceStats> result;
    std::mutex m;
    std::atomic<bool> done{false};
    executor_->submit(api::StoreJob{[&](api::Stores&) {
                                      std::lock_guard lock(m);
                                      result =
                                          outbox_->stats(names, std::chrono::system_clock::now());
                                    },
                                    [&](bool, const std::string&) { done = true; }});
    EXPECT_TRUE(eventually([&] { return done.load(); }));
    std::lock_guard lock(m);
    return result.value_or(api::ComplianceStats{});
  }

  void start(std::vector<std::unique_ptr<Exporter>> exporters) {
    worker_ =
        std::make_unique<ComplianceWorker>(config_, *executor_, *outbox_, std::move(exporters),
                                           [] { return std::chrono::system_clock::now(); });
    worker_->start();
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<storage::SqliteComplianceOutbox> outbox_;
  std::unique_ptr<storage::SqliteStoreExecutor> executor_;
  ComplianceConfig config_;
  std::unique_ptr<ComplianceWorker> worker_;
};

TEST_F(ComplianceWorkerTest, FailingExporterRecoversWithoutLossOrReordering) {
  const auto first = append(30);
  auto good = std::make_unique<FakeExporter>("good", 0);
  auto flaky = std::make_unique<FakeExporter>("flaky", 4);
  auto* good_view = good.get();
  auto* flaky_view = flaky.get();
  std::vector<std::unique_ptr<Exporter>> exporters;
  exporters.push_back(std::move(good));
  exporters.push_back(std::move(flaky));
  start(std::move(exporters));

  // More events arrive while it runs.
  auto ids = first;
  const auto second = append(20, 30);
  ids.insert(ids.end(), second.begin(), second.end());
  worker_->wake();

  ASSERT_TRUE(eventually(
      [&] { return good_view->received() == ids.size() && flaky_view->received() == ids.size(); }));
  EXPECT_EQ(good_view->ids(), ids);
  EXPECT_EQ(flaky_view->ids(), ids);
  EXPECT_GE(flaky_view->calls(), 5);
  EXPECT_LE(good_view->max_batch(), 7u);

  // Everything confirmed by both is deleted; the status shows the recovery.
  ASSERT_TRUE(eventually([&] { return stats({"good", "flaky"}).depth == 0; }));
  const auto s = stats({"good", "flaky"});
  EXPECT_EQ(s.exporters[1].consecutive_failures, 0);
  EXPECT_EQ(s.exporters[1].last_error, "");
  EXPECT_TRUE(s.exporters[1].last_failure.has_value());
  EXPECT_EQ(s.exporters[1].exported, static_cast<std::int64_t>(ids.size()));
  EXPECT_EQ(s.exporters[0].exported, static_cast<std::int64_t>(ids.size()));
  // The worker updates its counters after the commit it waited for, so a moment after the
  // store shows the outbox empty.
  ASSERT_TRUE(eventually([&] { return worker_->counters().deleted == ids.size(); }));
  EXPECT_EQ(worker_->counters().export_failures, 4u);
}

TEST_F(ComplianceWorkerTest, BrokenExporterHoldsEventsBackButNotTheOthers) {
  auto good = std::make_unique<FakeExporter>("good", 0);
  auto broken = std::make_unique<FakeExporter>("broken", 0);
  broken->set_broken(true);
  auto* good_view = good.get();
  auto* broken_view = broken.get();
  std::vector<std::unique_ptr<Exporter>> exporters;
  exporters.push_back(std::move(good));
  exporters.push_back(std::move(broken));
  start(std::move(exporters));
  const auto ids = append(10);
  worker_->wake();

  ASSERT_TRUE(eventually([&] { return good_view->received() == ids.size(); }));
  ASSERT_TRUE(eventually([&] { return broken_view->calls() >= 3; }));
  ASSERT_TRUE(eventually([&] {
    const auto s = stats({"good", "broken"});
    return s.exporters[1].consecutive_failures >= 2;
  }));
  auto s = stats({"good", "broken"});
  EXPECT_EQ(s.depth, 10) << "nothing deleted before every exporter confirmed";
  EXPECT_EQ(s.exporters[0].pending, 0);
  EXPECT_EQ(s.exporters[1].pending, 10);
  EXPECT_NE(s.exporters[1].last_error.find("injected failure"), std::string::npos);

  broken_view->set_broken(false);
  ASSERT_TRUE(eventually([&] { return broken_view->received() == ids.size(); }));
  EXPECT_EQ(broken_view->ids(), ids);
  ASSERT_TRUE(eventually([&] { return stats({"good", "broken"}).depth == 0; }));
}

TEST_F(ComplianceWorkerTest, RestartResumesAfterTheCommittedCursor) {
  const auto ids = append(12);
  {
    auto first = std::make_unique<FakeExporter>("files", 0);
    auto* view = first.get();
    std::vector<std::unique_ptr<Exporter>> exporters;
    exporters.push_back(std::move(first));
    start(std::move(exporters));
    ASSERT_TRUE(eventually([&] { return view->received() == ids.size(); }));
    ASSERT_TRUE(eventually([&] { return stats({"files"}).depth == 0; }));
    worker_->stop();
  }
  const auto more = append(3, 100);
  auto second = std::make_unique<FakeExporter>("files", 0);
  auto* view = second.get();
  std::vector<std::unique_ptr<Exporter>> exporters;
  exporters.push_back(std::move(second));
  start(std::move(exporters));
  ASSERT_TRUE(eventually([&] { return view->received() == more.size(); }));
  EXPECT_EQ(view->ids(), more) << "only what was not confirmed before";
}

TEST_F(ComplianceWorkerTest, StopIsBoundedWhileFailing) {
  auto broken = std::make_unique<FakeExporter>("broken", 0);
  broken->set_broken(true);
  auto* view = broken.get();
  config_.retry_min = std::chrono::milliseconds(50);
  config_.retry_max = std::chrono::seconds(60);
  std::vector<std::unique_ptr<Exporter>> exporters;
  exporters.push_back(std::move(broken));
  start(std::move(exporters));
  append(3);
  worker_->wake();
  ASSERT_TRUE(eventually([&] { return view->calls() >= 2; }));
  const auto started = std::chrono::steady_clock::now();
  worker_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  worker_->stop();  // idempotent
}

TEST(ComplianceWorkerBackoff, WithoutExportersStartDoesNothing) {
  storage::testing::TempDir dir;
  auto opened = storage::Database::open(dir.path() / "parley.db");
  ASSERT_TRUE(opened);
  storage::SqliteComplianceOutbox outbox(opened.value()->sql());
  storage::SqliteStoreExecutor executor(std::move(opened).value());
  ComplianceConfig config;
  ComplianceWorker worker(config, executor, outbox);
  worker.start();
  EXPECT_EQ(worker.counters().cycles, 0u);
  worker.stop();
}

}  // namespace
}  // namespace parley::core::compliance
