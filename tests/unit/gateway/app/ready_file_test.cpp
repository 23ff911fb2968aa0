#include "gateway/app/ready_file.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

namespace parley::app {
namespace {

namespace fs = std::filesystem;

class ReadyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "parley-ready-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ReadyFileTest, WritesTheDocumentedJsonAtomically) {
  fs::path file = dir_ / "parleyd.ready.json";
  ReadyInfo info{1234, 5222, 0};
  info.admin_http_port = 8091;
  ASSERT_EQ(write_ready_file(file, info), std::nullopt);
  EXPECT_FALSE(fs::exists(dir_ / "parleyd.ready.json.tmp"));
  std::ifstream in(file);
  auto j = nlohmann::json::parse(in);
  // Each documented key (other listeners may add theirs).
  EXPECT_EQ(j["pid"], 1234);
  EXPECT_EQ(j["xmpp_c2s_port"], 5222);
  EXPECT_EQ(j["xmpp_direct_tls_port"], 0);
  EXPECT_EQ(j["admin_http_port"], 8091);
  auto back = read_ready_file(file);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->pid, 1234);
  EXPECT_EQ(back->xmpp_c2s_port, 5222);
  EXPECT_EQ(back->xmpp_direct_tls_port, 0);
  EXPECT_EQ(back->admin_http_port, 8091);
  // A second write replaces the first.
  ASSERT_EQ(write_ready_file(file, ReadyInfo{99, 1, 2}), std::nullopt);
  EXPECT_EQ(read_ready_file(file)->pid, 99);
}

TEST_F(ReadyFileTest, AFileWithoutTheAdminPortStillReads) {
  std::ofstream(dir_ / "old.json") << R"({"pid":7,"xmpp_c2s_port":1,"xmpp_direct_tls_port":2})";
  auto back = read_ready_file(dir_ / "old.json");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->admin_http_port, 0);
}

TEST_F(ReadyFileTest, MissingOrMalformedReadsAsNothing) {
  EXPECT_FALSE(read_ready_file(dir_ / "none.json").has_value());
  std::ofstream(dir_ / "bad.json") << "{\"pid\": \"x\"}";
  EXPECT_FALSE(read_ready_file(dir_ / "bad.json").has_value());
  std::ofstream(dir_ / "junk.json") << "not json";
  EXPECT_FALSE(read_ready_file(dir_ / "junk.json").has_value());
}

TEST_F(ReadyFileTest, UnwritableDirectoryIsAnError) {
  auto error = write_ready_file(dir_ / "no" / "such" / "dir" / "r.json", ReadyInfo{1, 2, 3});
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("cannot write"), std::string::npos);
}

}  // namespace
}  // namespace parley::app
