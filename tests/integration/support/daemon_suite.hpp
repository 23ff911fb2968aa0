#pragma once
// DaemonSuite<Suite>: a gtest fixture that shares one parleyd per test suite (one scenario
// file). Suite may define `static nlohmann::json daemon_config()` (a merge patch over the
// defaults). Every test gets the daemon's log printed when it fails, and the suite checks at
// the end that SIGTERM makes the daemon exit 0.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <string>

#include "tests/integration/support/parleyd_process.hpp"

namespace parley::it {

template <class Suite>
class DaemonSuite : public ::testing::Test {
 public:
  static nlohmann::json daemon_config() { return nlohmann::json::object(); }

 protected:
  static void SetUpTestSuite() {
    start_error_.clear();
    try {
      daemon_ = std::make_unique<ParleydProcess>(Suite::daemon_config());
      daemon_->start();
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    if (daemon_ && daemon_->running()) {
      try {
        const int code = daemon_->stop();
        EXPECT_EQ(code, 0) << "parleyd exit status after SIGTERM\n--- parleyd log ---\n"
                           << daemon_->log();
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    }
    daemon_.reset();
  }

  void SetUp() override { ASSERT_TRUE(start_error_.empty()) << start_error_; }

  void TearDown() override {
    if (HasFailure() && daemon_ && start_error_.empty()) {  // a start error carries the log
      std::cerr << "--- parleyd log (" << daemon_->dir() << ") ---\n"
                << daemon_->log() << "--- end of parleyd log ---\n";
    }
  }

  static ParleydProcess& daemon() { return *daemon_; }

 private:
  inline static std::unique_ptr<ParleydProcess> daemon_;
  inline static std::string start_error_;
};

}  // namespace parley::it
