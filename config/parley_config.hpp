#pragma once
// ParleyConfig: the daemon's typed configuration, parsed at the boundary from JSON with
// comments (config/parley.jsonc is the documented default). Parsing never stops at the first
// problem: every problem is collected as "key.path: what is wrong" so an admin fixes the file
// in one pass (STYLE.md §12: bad config -> print every problem, exit non-zero).
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/xmpp/xmpp_config.hpp"
#include "config/admin_section.hpp"
#include "config/sip_section.hpp"
#include "gateway/core/archive/archive_config.hpp"
#include "gateway/core/compliance/compliance_config.hpp"
#include "gateway/core/core_config.hpp"
#include "gateway/log/log.hpp"
#include "mapping/model/expected.hpp"

namespace parley::config {

struct TlsFiles {
  // Both empty: a self-signed certificate is generated under <data_dir>/tls/ on first start.
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  bool configured() const { return !certificate.empty(); }
};

struct ParleyConfig {
  std::filesystem::path config_file;  // empty when built-in defaults are used
  std::filesystem::path data_dir;     // absolute
  unsigned threads = 0;               // io threads; 0 = number of cores
  log::Level log_level = log::Level::info;
  log::Format log_format = log::Format::text;
  TlsFiles tls;                      // absolute paths when set
  std::filesystem::path store_path;  // absolute
  std::chrono::milliseconds shutdown_timeout{5000};
  core::CoreConfig core;
  core::ArchiveConfig archive;  // "archive": XEP-0313 user archives
  xmpp::XmppConfig xmpp;
  SipSettings sip;    // issue 7: the SIP adapter (off without a "sip" section)
  AdminConfig admin;  // "admin": the administration HTTP API (admin_section.hpp)
  core::compliance::ComplianceConfig compliance;  // "compliance" (compliance_section.hpp)

  // `threads`, with 0 replaced by the number of cores (at least 1).
  unsigned io_threads() const;
  std::filesystem::path tls_dir() const { return data_dir / "tls"; }
  std::filesystem::path ready_file() const { return data_dir / "parleyd.ready.json"; }
};

using Problems = std::vector<std::string>;  // each "key.path: message"

// Which checks look beyond the text itself.
struct CheckOptions {
  bool files = true;   // certificate/key readable and PEM; data_dir creatable and writable
  bool ports = false;  // each enabled listener's address:port can be bound right now
};

// Parses `text` (JSON, comments allowed). Relative paths resolve against `base_dir` (the config
// file's directory): data_dir against it, store.path against data_dir.
model::Expected<ParleyConfig, Problems> parse_config(std::string_view text,
                                                     const std::filesystem::path& base_dir,
                                                     const CheckOptions& checks = {});
// Reads and parses a file; an unreadable file is one problem naming it.
model::Expected<ParleyConfig, Problems> load_config(const std::filesystem::path& file,
                                                    const CheckOptions& checks = {});
// The built-in defaults (as if the file were "{}"), resolved against `base_dir`.
ParleyConfig default_config(const std::filesystem::path& base_dir);

// Tries to bind every enabled listener's address:port with a plain socket (port 0: skipped,
// any free port will do). Returns one problem per listener that cannot be bound, e.g.
// "xmpp.c2s: 127.0.0.1:5222: port already in use".
Problems check_ports(const ParleyConfig& config);

}  // namespace parley::config
