#include "config/parley_config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "config/compliance_section.hpp"
#include "config/config_checks.hpp"
#include "config/json_section.hpp"
#include "config/sip_section.hpp"
#include "mapping/model/address.hpp"

namespace parley::config {
namespace {

using detail::Section;
namespace fs = std::filesystem;

constexpr std::int64_t kMaxPort = 65535;
// RFC 6120 §13.12: a server must accept stanzas of at least 10000 bytes.
constexpr std::int64_t kMinStanzaBytes = 10000;
constexpr std::int64_t kMaxStanzaBytes = 64 * 1024 * 1024;
constexpr std::int64_t kDay = 24 * 60 * 60;

std::string json_quoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump();
}

fs::path resolve(const fs::path& base, const std::string& value) {
  fs::path p(value);
  if (p.is_relative()) p = base / p;
  return p.lexically_normal();
}

void read_listener(Section& xmpp, std::string_view key, xmpp::ListenerConfig& out) {
  Section s = xmpp.object(key, {"enabled", "address", "port"});
  s.boolean("enabled", out.enabled);
  s.string("address", out.address, /*allow_empty=*/false);
  s.integer("port", out.port, 0, kMaxPort);
  if (s.present("address") && !is_ip_literal(out.address)) {
    s.problem("address", "expected an IPv4 or IPv6 address, got " + json_quoted(out.address));
  }
}

// XEP-0045: the conference service's domain (a subdomain by convention; empty: "conference." +
// the first domain) and the category of rooms created by joining them.
void read_muc(Section& xmpp, xmpp::XmppConfig& x, const std::vector<std::string>& domains) {
  Section m = xmpp.object("muc", {"domain", "default_category"});
  m.string("domain", x.muc_domain);
  m.string("default_category", x.muc_default_category, /*allow_empty=*/false);
  if (!m.present("domain") || x.muc_domain.empty()) return;
  auto address = model::Address::parse(x.muc_domain);
  if (!address || !address->local().empty() || !address->resource().empty()) {
    m.problem("domain", "expected a domain, got " + json_quoted(x.muc_domain));
    return;
  }
  x.muc_domain = address->domain();
  if (std::find(domains.begin(), domains.end(), x.muc_domain) != domains.end()) {
    m.problem("domain", "must differ from the served domains, got " + json_quoted(x.muc_domain));
  }
}

void read_xmpp(Section& root, xmpp::XmppConfig& x, const std::vector<std::string>& domains) {
  Section s =
      root.object("xmpp", {"c2s", "direct_tls", "require_starttls", "allow_plain", "registration",
                           "max_stanza_bytes", "read_rate", "outbox_high_watermark", "timeouts",
                           "auth_throttle", "stream_management", "muc"});
  read_muc(s, x, domains);
  read_listener(s, "c2s", x.c2s);
  read_listener(s, "direct_tls", x.direct_tls);
  s.boolean("require_starttls", x.require_starttls);
  s.boolean("allow_plain", x.allow_plain);
  {
    Section r = s.object("registration", {"enabled", "password_change"});
    r.boolean("enabled", x.registration_enabled);
    r.boolean("password_change", x.password_change_enabled);
  }
  s.integer("max_stanza_bytes", x.max_stanza_bytes, kMinStanzaBytes, kMaxStanzaBytes);
  {
    Section r = s.object("read_rate", {"bytes_per_second", "burst_bytes"});
    r.integer("bytes_per_second", x.read_rate_bytes_per_second, 0);  // 0: unlimited
    r.integer("burst_bytes", x.read_burst_bytes, 1);
  }
  s.integer("outbox_high_watermark", x.outbox_high_watermark, 1, 10'000'000);
  {
    Section t =
        s.object("timeouts", {"handshake_s", "idle_s", "keepalive_s", "close_s", "parser_rest_s"});
    std::int64_t handshake = x.handshake_timeout.count();
    std::int64_t idle = x.idle_timeout.count();
    std::int64_t keepalive = x.keepalive_interval.count();
    t.integer("handshake_s", handshake, 1, 3600);
    t.integer("idle_s", idle, 1, kDay);
    t.integer("keepalive_s", keepalive, 1, kDay);
    x.handshake_timeout = std::chrono::seconds(handshake);
    x.idle_timeout = std::chrono::seconds(idle);
    x.keepalive_interval = std::chrono::seconds(keepalive);
    std::int64_t close = x.close_timeout.count();
    t.integer("close_s", close, 1, 300);
    x.close_timeout = std::chrono::seconds(close);
    std::int64_t rest = x.parser_rest_after.count();
    t.integer("parser_rest_s", rest, 0, kDay);  // 0: never
    x.parser_rest_after = std::chrono::seconds(rest);
  }
  {
    Section a = s.object("auth_throttle", {"failures_per_ip", "failures_per_account",
                                           "failures_per_stream", "window_s"});
    a.integer("failures_per_ip", x.auth_failures_per_ip, 1);
    a.integer("failures_per_account", x.auth_failures_per_account, 1);
    a.integer("failures_per_stream", x.auth_failures_per_stream, 1, 100);
    std::int64_t window = x.auth_failure_window.count();
    a.integer("window_s", window, 1, kDay);
    x.auth_failure_window = std::chrono::seconds(window);
  }
  {
    // XEP-0198 §5: how long a detached session waits for resumption.
    Section m = s.object("stream_management", {"resume_timeout_s", "max_unacked"});
    std::int64_t resume = x.resume_timeout.count();
    m.integer("resume_timeout_s", resume, 0, kDay);
    x.resume_timeout = std::chrono::seconds(resume);
    m.integer("max_unacked", x.max_unacked_stanzas, 1, 10'000'000);
  }
}

// Domains are the domainparts of local accounts: each must be a bare domain (RFC 7622 §3.2),
// kept in its prepared (Nameprep) form so comparisons are exact.
void check_domains(Section& root, std::vector<std::string>& domains) {
  if (domains.empty()) {
    root.problem("domains", "expected at least one domain");
    return;
  }
  std::vector<std::string> prepared;
  for (std::size_t i = 0; i < domains.size(); ++i) {
    std::string key = "domains[" + std::to_string(i) + "]";
    auto address = model::Address::parse(domains[i]);
    if (!address) {
      root.problem(key, "invalid domain " + json_quoted(domains[i]) + ": " + address.error());
      continue;
    }
    if (!address->local().empty() || !address->resource().empty()) {
      root.problem(
          key, "expected a domain without localpart or resource, got " + json_quoted(domains[i]));
      continue;
    }
    if (std::find(prepared.begin(), prepared.end(), address->domain()) != prepared.end()) {
      root.problem(key, "duplicate domain " + json_quoted(address->domain()));
      continue;
    }
    prepared.push_back(address->domain());
  }
  domains = std::move(prepared);
}

// nlohmann's text is "[json.exception.parse_error.101] parse error at line L, column C: detail";
// keep its position (it counts lines and columns as editors do) and the detail.
std::string syntax_error_message(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  auto at = what.find("at line ");
  if (at != std::string::npos) return "JSON syntax error " + what.substr(at);
  return "JSON syntax error at byte " + std::to_string(e.byte) + ": " + what;
}

model::Expected<ParleyConfig, Problems> parse_impl(std::string_view text, const fs::path& base_dir,
                                                   const CheckOptions& checks,
                                                   const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/true,
                                /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    std::string prefix = source.empty() ? "" : source + ": ";
    return model::Expected<ParleyConfig, Problems>::failure({prefix + syntax_error_message(e)});
  }
  if (!doc.is_object()) {
    return model::Expected<ParleyConfig, Problems>::failure(
        {"(top level): expected an object, got " + detail::type_name(doc)});
  }

  Problems problems;
  ParleyConfig config;
  config.xmpp.domains = config.core.domains;
  Section root(&doc, "", problems,
               {"data_dir", "domains", "threads", "log", "tls", "store", "shutdown_timeout_ms",
                "limits", "archive", "xmpp", "sip", "admin", "compliance"});

  std::string data_dir = "data";
  root.string("data_dir", data_dir, /*allow_empty=*/false);
  config.data_dir = resolve(base_dir, data_dir);

  std::vector<std::string> domains = config.core.domains;
  root.string_list("domains", domains);
  if (root.present("domains")) check_domains(root, domains);

  root.integer("threads", config.threads, 0, 1024);
  {
    Section log = root.object("log", {"level", "format"});
    log.enumeration("level", config.log_level,
                    {{"debug", log::Level::debug},
                     {"info", log::Level::info},
                     {"warn", log::Level::warn},
                     {"error", log::Level::error}});
    log.enumeration("format", config.log_format,
                    {{"text", log::Format::text}, {"json", log::Format::json}});
  }
  std::string certificate, private_key;
  {
    Section tls = root.object("tls", {"certificate", "private_key"});
    tls.string("certificate", certificate);
    tls.string("private_key", private_key);
    if (!certificate.empty() && private_key.empty()) {
      tls.problem("private_key", "required when tls.certificate is set");
    }
    if (certificate.empty() && !private_key.empty()) {
      tls.problem("certificate", "required when tls.private_key is set");
    }
    if (!certificate.empty()) config.tls.certificate = resolve(base_dir, certificate);
    if (!private_key.empty()) config.tls.private_key = resolve(base_dir, private_key);
  }
  {
    Section store = root.object("store", {"path"});
    std::string path = "parley.db";
    store.string("path", path, /*allow_empty=*/false);
    config.store_path = resolve(config.data_dir, path);
  }
  std::int64_t shutdown_ms = config.shutdown_timeout.count();
  root.integer("shutdown_timeout_ms", shutdown_ms, 0, 600'000);
  config.shutdown_timeout = std::chrono::milliseconds(shutdown_ms);
  {
    Section limits = root.object("limits", {"max_sessions_per_account", "max_offline_messages"});
    limits.integer("max_sessions_per_account", config.core.max_sessions_per_account, 1, 100'000);
    limits.integer("max_offline_messages", config.core.max_offline_messages_per_account, 0,
                   10'000'000);
  }
  {
    Section archive =
        root.object("archive", {"enabled", "max_page", "max_pending", "commit_delay_ms"});
    archive.boolean("enabled", config.archive.enabled);
    archive.integer("max_page", config.archive.max_page, 1, 10'000);
    archive.integer("max_pending", config.archive.max_pending, 1, 10'000'000);
    std::int64_t commit_delay_ms = config.archive.commit_delay.count();
    archive.integer("commit_delay_ms", commit_delay_ms, 0, 10'000);
    config.archive.commit_delay = std::chrono::milliseconds(commit_delay_ms);
  }
  read_xmpp(root, config.xmpp, domains);
  read_sip(root, doc, config.sip, domains);
  read_admin_section(root, config.admin);
  read_compliance_section(doc, config.data_dir, problems, config.compliance);

  // One source of truth for values both the core and the adapter need.
  config.core.domains = domains;
  config.xmpp.domains = domains;
  config.xmpp.max_sessions_per_account = config.core.max_sessions_per_account;
  config.xmpp.user_archive_enabled = config.archive.enabled;

  check_listeners(config, problems);
  if (checks.files) {
    check_files(config, problems);
  }
  if (checks.ports) {
    Problems ports = check_ports(config);
    problems.insert(problems.end(), ports.begin(), ports.end());
  }
  if (!problems.empty()) return model::Expected<ParleyConfig, Problems>::failure(problems);
  return config;
}

}  // namespace

unsigned ParleyConfig::io_threads() const {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

model::Expected<ParleyConfig, Problems> parse_config(std::string_view text,
                                                     const fs::path& base_dir,
                                                     const CheckOptions& checks) {
  return parse_impl(text, base_dir, checks, "");
}

model::Expected<ParleyConfig, Problems> load_config(const fs::path& file,
                                                    const CheckOptions& checks) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    int err = errno;
    return model::Expected<ParleyConfig, Problems>::failure(
        {file.string() + ": cannot read: " + std::strerror(err)});
  }
  std::ostringstream text;
  text << in.rdbuf();
  fs::path absolute = fs::absolute(file).lexically_normal();
  auto result = parse_impl(text.str(), absolute.parent_path(), checks, file.string());
  if (!result) return result;
  ParleyConfig config = std::move(result).value();
  config.config_file = absolute;
  return config;
}

ParleyConfig default_config(const fs::path& base_dir) {
  auto result = parse_impl("{}", base_dir, CheckOptions{.files = false, .ports = false}, "");
  // The built-in defaults are valid by construction; a failure here is a programming error.
  if (!result) throw std::logic_error("built-in configuration defaults are invalid");
  return std::move(result).value();
}

}  // namespace parley::config
