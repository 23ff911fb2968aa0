#include "gateway/app/tls_setup.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace parley::app {
namespace {

namespace fs = std::filesystem;
using ::testing::AnyOf;
using ::testing::HasSubstr;

class TlsSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "parley-tls-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  config::ParleyConfig config_with_data_dir() {
    config::ParleyConfig c = config::default_config(dir_);
    c.core.domains = {"localhost", "example.org"};
    return c;
  }

  fs::path dir_;
};

// Reads a PEM certificate; null on failure.
X509* read_cert(const fs::path& p) {
  std::FILE* f = std::fopen(p.c_str(), "r");
  if (f == nullptr) return nullptr;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  return cert;
}

EVP_PKEY* read_key(const fs::path& p) {
  std::FILE* f = std::fopen(p.c_str(), "r");
  if (f == nullptr) return nullptr;
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  return key;
}

std::vector<std::string> dns_names(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type != GEN_DNS) continue;
    const unsigned char* data = ASN1_STRING_get0_data(n->d.dNSName);
    out.emplace_back(reinterpret_cast<const char*>(data), ASN1_STRING_length(n->d.dNSName));
  }
  GENERAL_NAMES_free(names);
  return out;
}

TEST_F(TlsSetupTest, GeneratesAMatchingSelfSignedPairWithSan) {
  auto m = generate_self_signed(dir_ / "c.pem", dir_ / "k.pem", {"localhost", "example.org"});
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_TRUE(m->generated);

  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "k.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  X509* cert = read_cert(dir_ / "c.pem");
  ASSERT_NE(cert, nullptr);
  EVP_PKEY* key = read_key(dir_ / "k.pem");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(X509_check_private_key(cert, key), 1);
  EXPECT_EQ(dns_names(cert), (std::vector<std::string>{"localhost", "example.org"}));
  // RFC 6125 §6.4: a client for "localhost" matches the SAN.
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert, "other.org", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_verify(cert, key), 1);  // self-signed
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(cert)), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(cert)), 0);
  EVP_PKEY_free(key);
  X509_free(cert);
}

TEST_F(TlsSetupTest, NeverOverwritesExistingFiles) {
  std::ofstream(dir_ / "k.pem") << "mine";
  auto m = generate_self_signed(dir_ / "c.pem", dir_ / "k.pem", {"localhost"});
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.error(), HasSubstr("cannot create " + (dir_ / "k.pem").string()));
  std::ifstream in(dir_ / "k.pem");
  std::string content;
  in >> content;
  EXPECT_EQ(content, "mine");
  EXPECT_FALSE(fs::exists(dir_ / "c.pem"));
}

TEST_F(TlsSetupTest, EnsureGeneratesOnceUnderTheDataDir) {
  config::ParleyConfig c = config_with_data_dir();
  auto first = ensure_tls_material(c);
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_TRUE(first->generated);
  EXPECT_EQ(first->certificate, c.tls_dir() / "cert.pem");
  EXPECT_EQ(first->private_key, c.tls_dir() / "key.pem");
  auto second = ensure_tls_material(c);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->generated);
  EXPECT_EQ(second->certificate, first->certificate);

  fs::remove(c.tls_dir() / "cert.pem");
  auto broken = ensure_tls_material(c);
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.error(), HasSubstr("found only one of"));
}

TEST_F(TlsSetupTest, ConfiguredFilesAreUsedAsGiven) {
  config::ParleyConfig c = config_with_data_dir();
  c.tls.certificate = dir_ / "given.crt";
  c.tls.private_key = dir_ / "given.key";
  auto m = ensure_tls_material(c);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->generated);
  EXPECT_EQ(m->certificate, dir_ / "given.crt");
  EXPECT_FALSE(fs::exists(c.tls_dir()));
}

TEST_F(TlsSetupTest, LoadsIntoAContext) {
  auto m = generate_self_signed(dir_ / "c.pem", dir_ / "k.pem", {"localhost"});
  ASSERT_TRUE(m.ok());
  boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_server);
  EXPECT_EQ(load_tls_context(ctx, *m), std::nullopt);
  // TLS 1.0 and 1.1 are off (RFC 8996).
  EXPECT_NE(SSL_CTX_get_options(ctx.native_handle()) & SSL_OP_NO_TLSv1_1, 0u);
}

TEST_F(TlsSetupTest, LoadReportsMismatchAndMissingFiles) {
  auto a = generate_self_signed(dir_ / "a.pem", dir_ / "a.key", {"localhost"});
  auto b = generate_self_signed(dir_ / "b.pem", dir_ / "b.key", {"localhost"});
  ASSERT_TRUE(a.ok() && b.ok());
  boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_server);
  auto error = load_tls_context(ctx, TlsMaterial{dir_ / "a.pem", dir_ / "b.key"});
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(*error, HasSubstr("tls.private_key: " + (dir_ / "b.key").string()));
  EXPECT_THAT(*error, AnyOf(HasSubstr("mismatch"), HasSubstr("does not match")));

  boost::asio::ssl::context ctx2(boost::asio::ssl::context::tls_server);
  error = load_tls_context(ctx2, TlsMaterial{dir_ / "missing.pem", dir_ / "a.key"});
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(*error, HasSubstr("tls.certificate: " + (dir_ / "missing.pem").string()));
}

}  // namespace
}  // namespace parley::app
