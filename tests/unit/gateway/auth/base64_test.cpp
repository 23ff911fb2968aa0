#include <gtest/gtest.h>

#include <set>
#include <string>

#include "gateway/auth/scram.hpp"

namespace parley::auth {
namespace {

TEST(Base64, Rfc4648Vectors) {
  // RFC 4648 §10.
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [raw, enc] : vectors) {
    EXPECT_EQ(base64_encode(raw), enc);
    auto dec = base64_decode(enc);
    ASSERT_TRUE(dec.has_value()) << enc;
    EXPECT_EQ(*dec, raw);
  }
}

TEST(Base64, RoundTripsAllByteValuesAndLengths) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t len = 0; len <= all.size(); len += 7) {
    std::string raw = all.substr(0, len);
    auto dec = base64_decode(base64_encode(raw));
    ASSERT_TRUE(dec.has_value()) << len;
    EXPECT_EQ(*dec, raw);
  }
  std::string random = random_bytes(1000);
  EXPECT_EQ(base64_decode(base64_encode(random)), random);
}

TEST(Base64, RejectsInvalidInput) {
  const char* invalid[] = {
      "Zg",        // missing padding
      "Zg=",       // short padding
      "Z===",      // too much padding
      "====",      // only padding
      "Zg==Zg==",  // padding in the middle
      "Zm9v\n",    // whitespace
      " Zm9v",     // leading whitespace
      "Zm9v!A==",  // character outside the alphabet
      "Zm-v",      // base64url alphabet is not base64
      "Zh==",      // non-zero pad bits (canonical form is Zg==)
      "Zm9=",      // non-zero pad bits (canonical form is Zm8=)
      "Zm9vY",     // length not a multiple of 4
  };
  for (const char* text : invalid) {
    EXPECT_EQ(base64_decode(text), std::nullopt) << text;
  }
  EXPECT_EQ(base64_decode(std::string_view("Zg=\0", 4)), std::nullopt);
}

TEST(Random, BytesAndIds) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(33).size(), 33u);
  EXPECT_NE(random_bytes(16), random_bytes(16));

  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    std::string id = random_id();
    EXPECT_EQ(id.size(), 16u);
    for (char c : id) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) << id;
    }
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(random_id(0), "");
  EXPECT_EQ(random_id(300).size(), 300u);
}

}  // namespace
}  // namespace parley::auth
