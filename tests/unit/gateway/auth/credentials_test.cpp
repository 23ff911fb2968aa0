#include <gtest/gtest.h>

#include "gateway/auth/scram.hpp"

namespace parley::auth {
namespace {

std::string b64(std::string_view text) {
  return base64_decode(text).value();
}

TEST(Credentials, Names) {
  EXPECT_EQ(mechanism_name(ScramHash::sha1), "SCRAM-SHA-1");
  EXPECT_EQ(mechanism_name(ScramHash::sha256), "SCRAM-SHA-256");
  const std::pair<SaslFailure, std::string_view> names[] = {
      {SaslFailure::aborted, "aborted"},
      {SaslFailure::incorrect_encoding, "incorrect-encoding"},
      {SaslFailure::invalid_authzid, "invalid-authzid"},
      {SaslFailure::invalid_mechanism, "invalid-mechanism"},
      {SaslFailure::malformed_request, "malformed-request"},
      {SaslFailure::mechanism_too_weak, "mechanism-too-weak"},
      {SaslFailure::not_authorized, "not-authorized"},
      {SaslFailure::temporary_auth_failure, "temporary-auth-failure"},
  };
  for (auto [f, name] : names) EXPECT_EQ(sasl_failure_name(f), name);
}

TEST(Credentials, DeriveIsDeterministicAndSized) {
  auto a = derive_credential(ScramHash::sha1, "pencil", b64("QSXCR+Q6sek8bf92"), 4096);
  auto b = derive_credential(ScramHash::sha1, "pencil", b64("QSXCR+Q6sek8bf92"), 4096);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.stored_key.size(), 20u);
  EXPECT_EQ(a.server_key.size(), 20u);
  EXPECT_EQ(a.iterations, 4096u);
  EXPECT_EQ(a.salt, b64("QSXCR+Q6sek8bf92"));
  auto c = derive_credential(ScramHash::sha256, "pencil", b64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  EXPECT_EQ(c.stored_key.size(), 32u);
  EXPECT_EQ(c.server_key.size(), 32u);
  EXPECT_NE(derive_credential(ScramHash::sha1, "pencil", "salt", 1).stored_key,
            derive_credential(ScramHash::sha1, "pencil", "salt", 2).stored_key);
}

TEST(Credentials, MakeAndVerifyPassword) {
  auto creds = make_credentials("correct horse", 64);
  EXPECT_EQ(creds.sha1.salt.size(), 16u);
  EXPECT_EQ(creds.sha256.salt.size(), 16u);
  EXPECT_NE(creds.sha1.salt, creds.sha256.salt);
  EXPECT_EQ(creds.sha1.iterations, 64u);
  EXPECT_TRUE(verify_password(creds.sha1, ScramHash::sha1, "correct horse"));
  EXPECT_TRUE(verify_password(creds.sha256, ScramHash::sha256, "correct horse"));
  EXPECT_FALSE(verify_password(creds.sha1, ScramHash::sha1, "correct horsE"));
  EXPECT_FALSE(verify_password(creds.sha256, ScramHash::sha256, ""));
  // A credential checked with the wrong hash never verifies.
  EXPECT_FALSE(verify_password(creds.sha1, ScramHash::sha256, "correct horse"));
  // An empty credential (e.g. missing from storage) never verifies.
  EXPECT_FALSE(verify_password(api::ScramCredential{}, ScramHash::sha1, ""));
  // Fresh salts: the same password gives different stored keys.
  EXPECT_NE(make_credentials("correct horse", 64).sha1.stored_key, creds.sha1.stored_key);
}

TEST(Credentials, PasswordIsSaslPrepared) {
  // RFC 4013 §2.1: U+00A0 NO-BREAK SPACE maps to SPACE; U+00AD SOFT HYPHEN maps to nothing.
  auto creds = make_credentials("a b", 16);
  EXPECT_TRUE(verify_password(creds.sha256, ScramHash::sha256,
                              "a\xC2\xA0"
                              "b"));
  auto hyphen = make_credentials("ab", 16);
  EXPECT_TRUE(verify_password(hyphen.sha256, ScramHash::sha256,
                              "a\xC2\xAD"
                              "b"));
}

}  // namespace
}  // namespace parley::auth
