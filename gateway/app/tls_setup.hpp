#pragma once
// TLS material for the listeners: the configured certificate and key, or a self-signed pair
// generated once under <data_dir>/tls/ so a fresh install serves STARTTLS (RFC 6120 §5)
// without manual steps. Clients must be told to accept it (docs/index.md).
#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/parley_config.hpp"
#include "mapping/model/expected.hpp"

namespace parley::app {

struct TlsMaterial {
  std::filesystem::path certificate;  // PEM chain
  std::filesystem::path private_key;  // PEM
  bool generated = false;             // created by this call
};

// Writes a self-signed certificate (EC P-256, SHA-256, valid 10 years) whose subject CN is the
// first domain and whose subjectAltName lists DNS:<domain> for every domain (RFC 6125 §6.4;
// RFC 6120 §13.7.1.2 says clients check the SAN). The key file is created with mode 0600.
// Fails if either file already exists.
model::Expected<TlsMaterial> generate_self_signed(const std::filesystem::path& certificate,
                                                  const std::filesystem::path& private_key,
                                                  const std::vector<std::string>& domains);

// The configured files, else <tls_dir>/cert.pem + key.pem (generated when absent).
model::Expected<TlsMaterial> ensure_tls_material(const config::ParleyConfig& config);

// Loads the material into a server context and restricts it to TLS 1.2 or newer. Returns an
// error naming the file that failed and why, or that the key does not match the certificate;
// nullopt on success.
std::optional<std::string> load_tls_context(boost::asio::ssl::context& context,
                                            const TlsMaterial& material);

}  // namespace parley::app
