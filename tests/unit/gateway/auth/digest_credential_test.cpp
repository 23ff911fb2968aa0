#include "gateway/auth/digest_credential.hpp"

#include <gtest/gtest.h>

namespace parley::auth {
namespace {

TEST(DigestCredential, Rfc2617ExampleHa1) {
  // RFC 2617 §3.5: H(A1) for Mufasa / testrealm@host.com / "Circle Of Life".
  auto c = make_digest_credential("Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(c.realm, "testrealm@host.com");
  EXPECT_EQ(c.ha1_md5, "939e7578ed9e3c518a452acee763bce9");
  EXPECT_EQ(c.ha1_sha256, "3ba6cd94661c5ef34598040c868f13b8775df29109986be50ad35ae537dd3aa4");
}

TEST(DigestCredential, MakeCredentialsUsesLocalPartAndDomain) {
  auto account = model::Address::parse("alice@example.com").value();
  auto creds = make_credentials("secret", account, 16);
  EXPECT_EQ(creds.sip, make_digest_credential("alice", "example.com", "secret"));
  EXPECT_EQ(creds.sip.ha1_md5.size(), 32u);
  EXPECT_EQ(creds.sip.ha1_sha256.size(), 64u);
  EXPECT_EQ(creds.sha1.iterations, 16u);
  EXPECT_NE(creds.sip.ha1_md5, make_digest_credential("alice", "example.com", "Secret").ha1_md5);
  // The plain overload keeps no SIP credential.
  EXPECT_TRUE(make_credentials("secret", 16).sip.realm.empty());
}

}  // namespace
}  // namespace parley::auth
