#pragma once
// Shared fixtures for the storage tests: a fresh temporary directory per test and an opened
// database with a few accounts.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include <unistd.h>

#include "gateway/storage/database.hpp"
#include "mapping/model/address.hpp"

namespace parley::storage::testing {

// A directory under the system temp dir, unique per process and test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "parley-storage-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter++) + "-" + std::to_string(std::random_device{}());
    if (info != nullptr) name += std::string("-") + info->name();
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline model::Address addr(std::string_view text) {
  auto address = model::Address::parse(text);
  if (!address) ADD_FAILURE() << "bad test address " << text << ": " << address.error();
  return address ? std::move(address).value() : model::Address{};
}

// Credentials whose bytes are all distinct per account (not derived from anything).
inline api::Credentials fake_credentials(std::string_view seed) {
  api::Credentials c;
  c.sha1 = {std::string("salt1-") + std::string(seed), 4096, std::string("\x01\x00\xff", 3),
            std::string("server1-") + std::string(seed)};
  c.sha256 = {std::string("salt256-") + std::string(seed), 8192,
              std::string("stored256-") + std::string(seed), std::string("\x00\x00", 2)};
  return c;
}

std::unique_ptr<Database> open_or_die(const std::filesystem::path& path);

// A database in a fresh temp dir with the accounts alice, bob and carol @example.com.
class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override;
  Database& db() { return *db_; }
  api::Stores stores() { return db_->stores(); }
  void reopen();

  TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "parley.db";
  std::unique_ptr<Database> db_;
  model::Address alice_ = addr("alice@example.com");
  model::Address bob_ = addr("bob@example.com");
  model::Address carol_ = addr("carol@example.com");
};

inline std::unique_ptr<Database> open_or_die(const std::filesystem::path& path) {
  auto opened = Database::open(path);
  if (!opened) {
    ADD_FAILURE() << opened.error();
    return nullptr;
  }
  return std::move(opened).value();
}

inline void StorageTest::SetUp() {
  db_ = open_or_die(path_);
  ASSERT_NE(db_, nullptr);
  for (const auto* user : {&alice_, &bob_, &carol_}) {
    ASSERT_TRUE(stores().accounts.create(*user, fake_credentials(user->local())));
  }
}

inline void StorageTest::reopen() {
  db_.reset();
  db_ = open_or_die(path_);
  ASSERT_NE(db_, nullptr);
}

}  // namespace parley::storage::testing
