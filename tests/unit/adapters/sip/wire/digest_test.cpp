// Digest: the worked examples of RFC 2617 §3.5 and RFC 7616 §3.9.1 (MD5 and SHA-256), header
// round trips, and rejection of incomplete credentials.
#include <gtest/gtest.h>

#include "adapters/sip/wire/digest.hpp"

namespace parley::sip {
namespace {

TEST(Digest, Rfc2617Example) {
  DigestCredentials c;
  c.username = "Mufasa";
  c.realm = "testrealm@host.com";
  c.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  c.uri = "/dir/index.html";
  c.qop = "auth";
  c.nc = "00000001";
  c.cnonce = "0a4f113b";
  c.algorithm = DigestAlgorithm::md5;
  const std::string ha1 = compute_ha1(DigestAlgorithm::md5, c.username, c.realm, "Circle Of Life");
  EXPECT_EQ(compute_response(c, ha1, {"GET", ""}), "6629fae49393a05397450978507c4ef1");
  c.response = "6629FAE49393A05397450978507C4EF1";  // hex case does not matter
  EXPECT_TRUE(verify_response(c, ha1, {"GET", ""}));
  EXPECT_FALSE(verify_response(c, ha1, {"POST", ""}));
  EXPECT_FALSE(
      verify_response(c, compute_ha1(DigestAlgorithm::md5, "Mufasa", c.realm, "x"), {"GET", ""}));
}

DigestCredentials rfc7616_credentials(DigestAlgorithm algorithm) {
  DigestCredentials c;
  c.username = "Mufasa";
  c.realm = "http-auth@example.org";
  c.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  c.uri = "/dir/index.html";
  c.qop = "auth";
  c.nc = "00000001";
  c.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  c.opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
  c.algorithm = algorithm;
  return c;
}

TEST(Digest, Rfc7616ExampleMd5AndSha256) {
  for (auto [algorithm, expected] :
       {std::pair{DigestAlgorithm::md5, "8ca523f5e9506fed4657c9700eebdbec"},
        std::pair{DigestAlgorithm::sha256,
                  "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"}}) {
    DigestCredentials c = rfc7616_credentials(algorithm);
    const std::string ha1 = compute_ha1(algorithm, c.username, c.realm, "Circle of Life");
    EXPECT_EQ(compute_response(c, ha1, {"GET", ""}), expected) << algorithm_name(algorithm);
    c.response = expected;
    EXPECT_TRUE(verify_response(c, ha1, {"GET", ""}));
  }
}

TEST(Digest, SessVariantAndNoQop) {
  DigestCredentials c = rfc7616_credentials(DigestAlgorithm::md5_sess);
  const std::string ha1 = compute_ha1(DigestAlgorithm::md5, c.username, c.realm, "pw");
  c.response = compute_response(c, ha1, {"REGISTER", ""});
  EXPECT_TRUE(verify_response(c, ha1, {"REGISTER", ""}));
  DigestCredentials plain = c;
  plain.algorithm = DigestAlgorithm::md5;
  EXPECT_NE(compute_response(plain, ha1, {"REGISTER", ""}), c.response);
  plain.qop.clear();  // RFC 2069 form: H(HA1:nonce:HA2)
  const std::string ha2 = digest_hash_hex(DigestAlgorithm::md5, "REGISTER:/dir/index.html");
  EXPECT_EQ(compute_response(plain, ha1, {"REGISTER", ""}),
            digest_hash_hex(DigestAlgorithm::md5, ha1 + ":" + plain.nonce + ":" + ha2));
}

TEST(Digest, CredentialsHeaderRoundTrip) {
  DigestCredentials c = rfc7616_credentials(DigestAlgorithm::sha256);
  c.response = "abc";
  auto back = DigestCredentials::parse(c.to_string());
  ASSERT_TRUE(back) << c.to_string();
  EXPECT_EQ(back->username, c.username);
  EXPECT_EQ(back->realm, c.realm);
  EXPECT_EQ(back->nonce, c.nonce);
  EXPECT_EQ(back->uri, c.uri);
  EXPECT_EQ(back->cnonce, c.cnonce);
  EXPECT_EQ(back->opaque, c.opaque);
  EXPECT_EQ(back->qop, "auth");
  EXPECT_EQ(back->nc, "00000001");
  EXPECT_EQ(back->algorithm, DigestAlgorithm::sha256);
}

TEST(Digest, ParsesWhatClientsSend) {
  auto c = DigestCredentials::parse(
      "Digest username=\"bob\",realm=\"example.com\",nonce=\"n1\",uri=\"sip:example.com\","
      "response=\"0123\"");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->algorithm, DigestAlgorithm::md5);
  EXPECT_TRUE(c->qop.empty());
  EXPECT_FALSE(DigestCredentials::parse("Basic Ym9iOnB3"));
  EXPECT_FALSE(DigestCredentials::parse(
      "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\""));  // no response
  EXPECT_FALSE(DigestCredentials::parse(
      "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\", qop=auth"));
  EXPECT_FALSE(DigestCredentials::parse(
      "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\", "
      "algorithm=SHA-512-256"));
  EXPECT_FALSE(DigestCredentials::parse(""));
  EXPECT_FALSE(DigestCredentials::parse("Digest"));
}

TEST(Digest, ChallengeRoundTrip) {
  DigestChallenge ch;
  ch.realm = "example.com";
  ch.nonce = "abc\"def";
  ch.opaque = "o";
  ch.algorithm = DigestAlgorithm::sha256;
  ch.stale = true;
  std::string text = ch.to_string();
  EXPECT_TRUE(text.starts_with("Digest realm=\"example.com\""));
  EXPECT_NE(text.find("algorithm=SHA-256"), std::string::npos);
  EXPECT_NE(text.find("qop=\"auth\""), std::string::npos);
  auto back = DigestChallenge::parse(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->realm, "example.com");
  EXPECT_EQ(back->nonce, "abc\"def");
  EXPECT_EQ(back->algorithm, DigestAlgorithm::sha256);
  EXPECT_TRUE(back->stale);
  EXPECT_EQ(back->qop, "auth");
  EXPECT_EQ(parse_algorithm("sha-256"), std::optional(DigestAlgorithm::sha256));
  EXPECT_FALSE(parse_algorithm("SHA-1"));
  EXPECT_TRUE(uses_sha256(DigestAlgorithm::sha256_sess));
}

}  // namespace
}  // namespace parley::sip
