#pragma once
// parleyctl's command tests run against a real SQLite database (every migration applied) in a
// fresh temporary directory, removed afterwards.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "gateway/storage/database.hpp"

namespace parley::app {

class CtlDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "parley-ctl-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto db = storage::Database::open(dir_ / "parley.db");
    ASSERT_TRUE(db.ok()) << db.error();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace parley::app
