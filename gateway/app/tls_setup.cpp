#include "gateway/app/tls_setup.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace parley::app {
namespace {

namespace fs = std::filesystem;

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string openssl_error(std::string_view what) {
  std::string out(what);
  unsigned long code = ERR_get_error();
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

bool add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// O_EXCL: never overwrite material an admin (or an earlier start) put there.
std::optional<std::string> write_new_file(const fs::path& path, const std::string& data,
                                          mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return "cannot create " + path.string() + ": " + std::strerror(errno);
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string error = "cannot write " + path.string() + ": " + std::strerror(errno);
      ::close(fd);
      return error;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return "cannot write " + path.string() + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

model::Expected<X509Ptr> make_certificate(EVP_PKEY* key, const std::vector<std::string>& domains) {
  using Result = model::Expected<X509Ptr>;
  X509Ptr cert(X509_new());
  if (!cert) return Result::failure(openssl_error("X509_new"));
  X509_set_version(cert.get(), 2);  // v3, needed for extensions
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return Result::failure(openssl_error("RAND_bytes"));
  serial[0] &= 0x7f;  // RFC 5280 §4.1.2.2: positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  ASN1_INTEGER* asn1_serial = X509_get_serialNumber(cert.get());
  bool serial_ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, asn1_serial) != nullptr;
  BN_free(bn);
  if (!serial_ok) return Result::failure(openssl_error("serial number"));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 60 * 60);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string& cn = domains.front();
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Parley"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san;
  for (const auto& domain : domains) {
    if (!san.empty()) san += ",";
    san += "DNS:" + domain;
  }
  if (!add_extension(cert.get(), NID_subject_alt_name, san) ||
      !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !add_extension(cert.get(), NID_ext_key_usage, "serverAuth") ||
      !add_extension(cert.get(), NID_subject_key_identifier, "hash")) {
    return Result::failure(openssl_error("certificate extensions"));
  }
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) {
    return Result::failure(openssl_error("X509_sign"));
  }
  return cert;
}

}  // namespace

model::Expected<TlsMaterial> generate_self_signed(const fs::path& certificate,
                                                  const fs::path& private_key,
                                                  const std::vector<std::string>& domains) {
  using Result = model::Expected<TlsMaterial>;
  if (domains.empty()) return Result::failure("no domain to put in the certificate");
  PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return Result::failure(openssl_error("EC P-256 key generation"));
  auto cert = make_certificate(key.get(), domains);
  if (!cert) return Result::failure(cert.error());

  BioPtr key_bio(BIO_new(BIO_s_mem()));
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  if (!key_bio || !cert_bio ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1 ||
      PEM_write_bio_X509(cert_bio.get(), cert->get()) != 1) {
    return Result::failure(openssl_error("PEM encoding"));
  }
  // The key first, 0600 from creation: it is never readable by others, not even briefly.
  if (auto error = write_new_file(private_key, bio_contents(key_bio.get()), 0600)) {
    return Result::failure(*error);
  }
  if (auto error = write_new_file(certificate, bio_contents(cert_bio.get()), 0644)) {
    std::error_code ec;
    fs::remove(private_key, ec);
    return Result::failure(*error);
  }
  return TlsMaterial{certificate, private_key, true};
}

model::Expected<TlsMaterial> ensure_tls_material(const config::ParleyConfig& config) {
  using Result = model::Expected<TlsMaterial>;
  if (config.tls.configured()) return TlsMaterial{config.tls.certificate, config.tls.private_key};
  fs::path dir = config.tls_dir();
  fs::path cert = dir / "cert.pem";
  fs::path key = dir / "key.pem";
  std::error_code ec;
  bool have_cert = fs::exists(cert, ec);
  bool have_key = fs::exists(key, ec);
  if (have_cert && have_key) return TlsMaterial{cert, key};
  if (have_cert != have_key) {
    return Result::failure("tls: found only one of " + cert.string() + " and " + key.string() +
                           "; remove it to have a new pair generated");
  }
  fs::create_directories(dir, ec);
  if (ec) return Result::failure("tls: cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  auto generated = generate_self_signed(cert, key, config.core.domains);
  if (!generated) return Result::failure("tls: " + generated.error());
  return generated;
}

std::optional<std::string> load_tls_context(boost::asio::ssl::context& context,
                                            const TlsMaterial& material) {
  namespace ssl = boost::asio::ssl;
  boost::system::error_code ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                      ec);
  if (ec) return "tls: cannot set options: " + ec.message();
  // An idle TLS connection otherwise keeps its ~34 KB of record buffers; OpenSSL frees them
  // between records and takes them back from its pool when the next record comes.
  SSL_CTX_set_mode(context.native_handle(), SSL_MODE_RELEASE_BUFFERS);
  context.use_certificate_chain_file(material.certificate.string(), ec);
  if (ec) return "tls.certificate: " + material.certificate.string() + ": " + ec.message();
  context.use_private_key_file(material.private_key.string(), ssl::context::pem, ec);
  if (ec) return "tls.private_key: " + material.private_key.string() + ": " + ec.message();
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return openssl_error("tls.private_key: " + material.private_key.string() +
                         " does not match the certificate");
  }
  return std::nullopt;
}

}  // namespace parley::app
