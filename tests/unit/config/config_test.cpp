#include "config/parley_config.hpp"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace parley::config {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "parley-config-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }
  ParleyConfig parse_ok(const std::string& text, CheckOptions checks = {}) {
    auto result = parse_config(text, dir_, checks);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : ::testing::PrintToString(result.error()));
    return result.ok() ? result.value() : ParleyConfig{};
  }
  Problems parse_fail(const std::string& text, CheckOptions checks = {}) {
    auto result = parse_config(text, dir_, checks);
    EXPECT_FALSE(result.ok());
    return result.ok() ? Problems{} : result.error();
  }

  fs::path dir_;
};

TEST_F(ConfigTest, EmptyObjectGivesDocumentedDefaults) {
  ParleyConfig c = parse_ok("{}");
  EXPECT_EQ(c.data_dir, dir_ / "data");
  EXPECT_EQ(c.store_path, dir_ / "data" / "parley.db");
  EXPECT_EQ(c.threads, 0u);
  EXPECT_GE(c.io_threads(), 1u);
  EXPECT_EQ(c.log_level, log::Level::info);
  EXPECT_EQ(c.log_format, log::Format::text);
  EXPECT_FALSE(c.tls.configured());
  EXPECT_EQ(c.shutdown_timeout, std::chrono::milliseconds(5000));
  EXPECT_THAT(c.core.domains, ElementsAre("localhost"));
  EXPECT_THAT(c.xmpp.domains, ElementsAre("localhost"));
  EXPECT_EQ(c.core.max_sessions_per_account, 10u);
  EXPECT_EQ(c.core.max_offline_messages_per_account, 1000u);
  EXPECT_TRUE(c.xmpp.c2s.enabled);
  EXPECT_EQ(c.xmpp.c2s.address, "127.0.0.1");
  EXPECT_EQ(c.xmpp.c2s.port, 5222);
  EXPECT_TRUE(c.xmpp.direct_tls.enabled);
  EXPECT_EQ(c.xmpp.direct_tls.port, 5223);
  EXPECT_TRUE(c.xmpp.require_starttls);
  EXPECT_TRUE(c.xmpp.allow_plain);
  EXPECT_FALSE(c.xmpp.registration_enabled);
  EXPECT_TRUE(c.xmpp.password_change_enabled);
  EXPECT_EQ(c.xmpp.max_stanza_bytes, 262144u);
  EXPECT_EQ(c.xmpp.read_rate_bytes_per_second, 262144u);
  EXPECT_EQ(c.xmpp.read_burst_bytes, 1048576u);
  EXPECT_EQ(c.xmpp.outbox_high_watermark, 4096u);
  EXPECT_EQ(c.xmpp.handshake_timeout, std::chrono::seconds(30));
  EXPECT_EQ(c.xmpp.idle_timeout, std::chrono::seconds(600));
  EXPECT_EQ(c.xmpp.keepalive_interval, std::chrono::seconds(120));
  EXPECT_EQ(c.xmpp.auth_failures_per_ip, 10u);
  EXPECT_EQ(c.xmpp.auth_failures_per_account, 5u);
  EXPECT_EQ(c.xmpp.auth_failure_window, std::chrono::seconds(60));
  EXPECT_EQ(c.xmpp.auth_failures_per_stream, 3u);
  EXPECT_EQ(c.xmpp.close_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.xmpp.resume_timeout, std::chrono::seconds(300));
  EXPECT_EQ(c.xmpp.max_unacked_stanzas, 10000u);
  EXPECT_TRUE(c.archive.enabled);
  EXPECT_TRUE(c.xmpp.user_archive_enabled);
  EXPECT_EQ(c.archive.max_page, 100u);
  EXPECT_EQ(c.archive.max_pending, 20000u);
  EXPECT_EQ(c.archive.commit_delay, std::chrono::milliseconds(100));
  EXPECT_EQ(c.tls_dir(), dir_ / "data" / "tls");
  EXPECT_EQ(c.ready_file(), dir_ / "data" / "parleyd.ready.json");
}

TEST_F(ConfigTest, DefaultConfigMatchesEmptyObject) {
  ParleyConfig c = default_config(dir_);
  EXPECT_EQ(c.data_dir, dir_ / "data");
  EXPECT_EQ(c.xmpp.c2s.port, 5222);
  EXPECT_TRUE(c.config_file.empty());
}

TEST_F(ConfigTest, ShippedCommentedDefaultIsValidAndMatchesBuiltIns) {
  auto result = load_config(PARLEY_DEFAULT_CONFIG, CheckOptions{.files = false});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.error());
  const ParleyConfig& shipped = result.value();
  ParleyConfig built_in = default_config(fs::path(PARLEY_DEFAULT_CONFIG).parent_path());
  // Only data_dir differs on purpose (the shipped file puts data at the top of the tree).
  EXPECT_EQ(shipped.data_dir, fs::path(PARLEY_DEFAULT_CONFIG).parent_path().parent_path() / "data");
  EXPECT_EQ(shipped.core.domains, built_in.core.domains);
  EXPECT_EQ(shipped.xmpp.c2s.port, built_in.xmpp.c2s.port);
  EXPECT_EQ(shipped.xmpp.direct_tls.port, built_in.xmpp.direct_tls.port);
  EXPECT_EQ(shipped.xmpp.max_stanza_bytes, built_in.xmpp.max_stanza_bytes);
  EXPECT_EQ(shipped.xmpp.read_burst_bytes, built_in.xmpp.read_burst_bytes);
  EXPECT_EQ(shipped.xmpp.max_unacked_stanzas, built_in.xmpp.max_unacked_stanzas);
  EXPECT_EQ(shipped.shutdown_timeout, built_in.shutdown_timeout);
  EXPECT_EQ(shipped.xmpp.auth_failures_per_stream, built_in.xmpp.auth_failures_per_stream);
  EXPECT_EQ(shipped.xmpp.close_timeout, built_in.xmpp.close_timeout);
  EXPECT_EQ(shipped.xmpp.muc_domain, built_in.xmpp.muc_domain);
  EXPECT_EQ(shipped.xmpp.muc_default_category, built_in.xmpp.muc_default_category);
  EXPECT_EQ(shipped.core.max_offline_messages_per_account,
            built_in.core.max_offline_messages_per_account);
  EXPECT_EQ(shipped.archive.enabled, built_in.archive.enabled);
  EXPECT_EQ(shipped.archive.max_page, built_in.archive.max_page);
  EXPECT_EQ(shipped.archive.max_pending, built_in.archive.max_pending);
  EXPECT_EQ(shipped.archive.commit_delay, built_in.archive.commit_delay);
  EXPECT_EQ(shipped.config_file, fs::path(PARLEY_DEFAULT_CONFIG).lexically_normal());
}

TEST_F(ConfigTest, EveryKeyReachesItsField) {
  ParleyConfig c = parse_ok(R"({
    "data_dir": "/var/lib/parley-test-nonexistent-ok",
    "domains": ["example.org", "chat.example.org"],
    "threads": 3,
    "log": {"level": "debug", "format": "json"},
    "store": {"path": "/srv/other.db"},
    "shutdown_timeout_ms": 250,
    "limits": {"max_sessions_per_account": 3, "max_offline_messages": 7},
    "archive": {"enabled": false, "max_page": 25, "max_pending": 500, "commit_delay_ms": 0},
    "xmpp": {
      "c2s": {"enabled": false, "address": "::1", "port": 6222},
      "direct_tls": {"enabled": true, "address": "0.0.0.0", "port": 0},
      "require_starttls": false, "allow_plain": false,
      "registration": {"enabled": true, "password_change": false},
      "max_stanza_bytes": 65536,
      "read_rate": {"bytes_per_second": 0, "burst_bytes": 99},
      "outbox_high_watermark": 12,
      "timeouts": {"handshake_s": 5, "idle_s": 6, "keepalive_s": 7, "close_s": 14},
      "auth_throttle": {"failures_per_ip": 8, "failures_per_account": 9, "window_s": 11,
                        "failures_per_stream": 15},
      "stream_management": {"resume_timeout_s": 0, "max_unacked": 13}
    }
  })",
                            CheckOptions{.files = false});
  EXPECT_EQ(c.data_dir, "/var/lib/parley-test-nonexistent-ok");
  EXPECT_THAT(c.core.domains, ElementsAre("example.org", "chat.example.org"));
  EXPECT_THAT(c.xmpp.domains, ElementsAre("example.org", "chat.example.org"));
  EXPECT_EQ(c.threads, 3u);
  EXPECT_EQ(c.io_threads(), 3u);
  EXPECT_EQ(c.log_level, log::Level::debug);
  EXPECT_EQ(c.log_format, log::Format::json);
  EXPECT_EQ(c.store_path, "/srv/other.db");
  EXPECT_EQ(c.shutdown_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(c.core.max_sessions_per_account, 3u);
  EXPECT_EQ(c.xmpp.max_sessions_per_account, 3u);
  EXPECT_EQ(c.core.max_offline_messages_per_account, 7u);
  EXPECT_FALSE(c.xmpp.c2s.enabled);
  EXPECT_EQ(c.xmpp.c2s.address, "::1");
  EXPECT_EQ(c.xmpp.c2s.port, 6222);
  EXPECT_EQ(c.xmpp.direct_tls.address, "0.0.0.0");
  EXPECT_EQ(c.xmpp.direct_tls.port, 0);
  EXPECT_FALSE(c.xmpp.require_starttls);
  EXPECT_FALSE(c.xmpp.allow_plain);
  EXPECT_TRUE(c.xmpp.registration_enabled);
  EXPECT_FALSE(c.xmpp.password_change_enabled);
  EXPECT_EQ(c.xmpp.max_stanza_bytes, 65536u);
  EXPECT_EQ(c.xmpp.read_rate_bytes_per_second, 0u);
  EXPECT_EQ(c.xmpp.read_burst_bytes, 99u);
  EXPECT_EQ(c.xmpp.outbox_high_watermark, 12u);
  EXPECT_EQ(c.xmpp.handshake_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.xmpp.idle_timeout, std::chrono::seconds(6));
  EXPECT_EQ(c.xmpp.keepalive_interval, std::chrono::seconds(7));
  EXPECT_EQ(c.xmpp.auth_failures_per_ip, 8u);
  EXPECT_EQ(c.xmpp.auth_failures_per_account, 9u);
  EXPECT_EQ(c.xmpp.auth_failure_window, std::chrono::seconds(11));
  EXPECT_EQ(c.xmpp.auth_failures_per_stream, 15u);
  EXPECT_EQ(c.xmpp.close_timeout, std::chrono::seconds(14));
  EXPECT_EQ(c.xmpp.resume_timeout, std::chrono::seconds(0));
  EXPECT_EQ(c.xmpp.max_unacked_stanzas, 13u);
  EXPECT_FALSE(c.archive.enabled);
  EXPECT_FALSE(c.xmpp.user_archive_enabled);  // the adapter stops offering XEP-0313 too
  EXPECT_EQ(c.archive.max_page, 25u);
  EXPECT_EQ(c.archive.max_pending, 500u);
  EXPECT_EQ(c.archive.commit_delay, std::chrono::milliseconds(0));
}

TEST_F(ConfigTest, CommentsAreAccepted) {
  ParleyConfig c = parse_ok(R"(// leading comment
    {
      /* block
         comment */
      "threads": 2, // trailing comment
      "log": {"level": "warn"}
    })");
  EXPECT_EQ(c.threads, 2u);
  EXPECT_EQ(c.log_level, log::Level::warn);
}

TEST_F(ConfigTest, RelativePathsResolveAgainstTheConfigDirectory) {
  write("cert.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  write("key.pem", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
  ParleyConfig c = parse_ok(R"({"data_dir": "state/../var", "store": {"path": "db/p.db"},
    "tls": {"certificate": "cert.pem", "private_key": "./key.pem"}})");
  EXPECT_EQ(c.data_dir, dir_ / "var");
  EXPECT_EQ(c.store_path, dir_ / "var" / "db" / "p.db");
  EXPECT_EQ(c.tls.certificate, dir_ / "cert.pem");
  EXPECT_EQ(c.tls.private_key, dir_ / "key.pem");
  EXPECT_TRUE(c.tls.configured());
}

TEST_F(ConfigTest, LoadConfigResolvesAgainstTheFilesDirectory) {
  fs::path file = write("parley.jsonc", R"({"data_dir": "d"} // ok)");
  auto result = load_config(file);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->data_dir, dir_ / "d");
  EXPECT_EQ(result->config_file, file);
}

TEST_F(ConfigTest, LoadConfigReportsAnUnreadableFile) {
  auto result = load_config(dir_ / "missing.jsonc");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error(), ElementsAre((dir_ / "missing.jsonc").string() +
                                          ": cannot read: No such file or directory"));
}

TEST_F(ConfigTest, SyntaxErrorNamesLineAndColumn) {
  Problems p = parse_fail("{\n  \"threads\": ,\n}");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_THAT(p[0], StartsWith("JSON syntax error at line 2, column 14: "));
}

TEST_F(ConfigTest, SyntaxErrorInAFileNamesTheFile) {
  fs::path file = write("bad.jsonc", "{\"threads\": 1,,}");
  auto result = load_config(file);
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().size(), 1u);
  EXPECT_THAT(result.error()[0],
              StartsWith(file.string() + ": JSON syntax error at line 1, column 15: "));
}

TEST_F(ConfigTest, TopLevelMustBeAnObject) {
  EXPECT_THAT(parse_fail("[1]"), ElementsAre("(top level): expected an object, got array"));
}

TEST_F(ConfigTest, UnknownKeySuggestsTheClosestKnownKey) {
  EXPECT_THAT(parse_fail(R"({"xmpp": {"c2s": {"prot": 5222}}})"),
              ElementsAre("xmpp.c2s.prot: unknown key (did you mean 'port'?)"));
  EXPECT_THAT(parse_fail(R"({"treads": 1})"),
              ElementsAre("treads: unknown key (did you mean 'threads'?)"));
}

TEST_F(ConfigTest, UnknownKeyWithoutACloseMatch) {
  EXPECT_THAT(parse_fail(R"({"completely_unrelated": 1})"),
              ElementsAre("completely_unrelated: unknown key"));
}

TEST_F(ConfigTest, WrongTypeNamesTheExpectedAndActualType) {
  EXPECT_THAT(parse_fail(R"({"xmpp": {"c2s": {"port": "5222"}}})"),
              ElementsAre("xmpp.c2s.port: expected an integer 0-65535, got string"));
  EXPECT_THAT(parse_fail(R"({"xmpp": {"allow_plain": 1}})"),
              ElementsAre("xmpp.allow_plain: expected a boolean (true or false), got number"));
  EXPECT_THAT(parse_fail(R"({"data_dir": 5})"),
              ElementsAre("data_dir: expected a string, got number"));
  EXPECT_THAT(parse_fail(R"({"xmpp": []})"), ElementsAre("xmpp: expected an object, got array"));
  EXPECT_THAT(parse_fail(R"({"domains": "localhost"})"),
              ElementsAre("domains: expected an array of strings, got string"));
  EXPECT_THAT(parse_fail(R"({"domains": ["localhost", 3]})"),
              ElementsAre("domains[1]: expected a string, got number"));
  EXPECT_THAT(parse_fail(R"({"threads": 1.5})"),
              ElementsAre("threads: expected an integer 0-1024, got 1.5"));
  EXPECT_THAT(parse_fail(R"({"threads": null})"),
              ElementsAre("threads: expected an integer 0-1024, got null"));
}

TEST_F(ConfigTest, OutOfRangeValues) {
  EXPECT_THAT(parse_fail(R"({"xmpp": {"c2s": {"port": 70000}}})"),
              ElementsAre("xmpp.c2s.port: expected an integer 0-65535, got 70000"));
  EXPECT_THAT(parse_fail(R"({"threads": -1})"),
              ElementsAre("threads: expected an integer 0-1024, got -1"));
  EXPECT_THAT(parse_fail(R"({"xmpp": {"max_stanza_bytes": 100}})"),
              ElementsAre("xmpp.max_stanza_bytes: expected an integer 10000-67108864, got 100"));
  EXPECT_THAT(parse_fail(R"({"xmpp": {"auth_throttle": {"failures_per_ip": 0}}})"),
              ElementsAre("xmpp.auth_throttle.failures_per_ip: expected an integer >= 1, got 0"));
  EXPECT_THAT(parse_fail(R"({"archive": {"max_page": 0, "commit_delay_ms": 60000}})"),
              ElementsAre("archive.max_page: expected an integer 1-10000, got 0",
                          "archive.commit_delay_ms: expected an integer 0-10000, got 60000"));
  EXPECT_THAT(parse_fail(R"({"xmpp": {"c2s": {"port": 18446744073709551615}}})"),
              ElementsAre("xmpp.c2s.port: expected an integer 0-65535, got 18446744073709551615"));
}

TEST_F(ConfigTest, BadEnumListsTheAcceptedValues) {
  EXPECT_THAT(parse_fail(R"({"log": {"level": "verbose", "format": "xml"}})"),
              ElementsAre("log.level: expected one of debug, info, warn, error, got \"verbose\"",
                          "log.format: expected one of text, json, got \"xml\""));
}

TEST_F(ConfigTest, EveryProblemIsReportedAtOnce) {
  Problems p = parse_fail(R"({"threads": "x", "log": {"levl": "info"},
    "xmpp": {"c2s": {"port": -5}, "timeouts": {"idle_s": 0}}})");
  EXPECT_THAT(p, UnorderedElementsAre("log.levl: unknown key (did you mean 'level'?)",
                                      "threads: expected an integer 0-1024, got string",
                                      "xmpp.c2s.port: expected an integer 0-65535, got -5",
                                      "xmpp.timeouts.idle_s: expected an integer 1-86400, got 0"));
}

TEST_F(ConfigTest, DomainsAreValidatedAndPrepared) {
  EXPECT_THAT(parse_fail(R"({"domains": []})"),
              ElementsAre("domains: expected at least one domain"));
  EXPECT_THAT(parse_fail(R"({"domains": ["user@example.org"]})"),
              ElementsAre("domains[0]: expected a domain without localpart or resource, got "
                          "\"user@example.org\""));
  EXPECT_THAT(parse_fail(R"({"domains": ["example.org", "example.org"]})"),
              ElementsAre("domains[1]: duplicate domain \"example.org\""));
  std::string too_long(1100, 'a');
  Problems p = parse_fail(R"({"domains": [")" + too_long + R"("]})");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_THAT(p[0], StartsWith("domains[0]: invalid domain \"aaaa"));
  // Nameprep case-folds: the prepared form is what the core compares.
  ParleyConfig c = parse_ok(R"({"domains": ["Example.ORG"]})");
  EXPECT_THAT(c.core.domains, ElementsAre("example.org"));
}

TEST_F(ConfigTest, MucDomainDefaultsToConferenceSubdomain) {
  ParleyConfig c = parse_ok(R"({"domains": ["example.org"]})");
  EXPECT_EQ(c.xmpp.muc_domain, "");
  EXPECT_EQ(xmpp::effective_muc_domain(c.xmpp), "conference.example.org");
  EXPECT_EQ(c.xmpp.muc_default_category, "general");
}

TEST_F(ConfigTest, MucKeysReachTheirFields) {
  ParleyConfig c = parse_ok(
      R"({"domains": ["example.org"],
          "xmpp": {"muc": {"domain": "Rooms.Example.ORG", "default_category": "teams"}}})");
  EXPECT_EQ(c.xmpp.muc_domain, "rooms.example.org");  // prepared like the served domains
  EXPECT_EQ(xmpp::effective_muc_domain(c.xmpp), "rooms.example.org");
  EXPECT_EQ(c.xmpp.muc_default_category, "teams");
}

TEST_F(ConfigTest, MucDomainIsValidated) {
  EXPECT_THAT(parse_fail(R"({"xmpp": {"muc": {"domain": "room@conference.localhost"}}})"),
              ElementsAre("xmpp.muc.domain: expected a domain, got "
                          "\"room@conference.localhost\""));
  EXPECT_THAT(parse_fail(R"({"domains": ["example.org"],
                             "xmpp": {"muc": {"domain": "example.org"}}})"),
              ElementsAre("xmpp.muc.domain: must differ from the served domains, got "
                          "\"example.org\""));
  EXPECT_THAT(parse_fail(R"({"xmpp": {"muc": {"default_category": ""}}})"),
              ElementsAre(HasSubstr("xmpp.muc.default_category")));
}

TEST_F(ConfigTest, SipCredentialCacheLifetime) {
  EXPECT_EQ(parse_ok(R"({"sip": {"enabled": true}})").sip.services.digest.credential_cache,
            std::chrono::seconds(30));
  ParleyConfig off = parse_ok(R"({"sip": {"enabled": true, "auth": {"credential_cache_s": 0}}})");
  EXPECT_EQ(off.sip.services.digest.credential_cache, std::chrono::seconds(0));
  EXPECT_THAT(parse_fail(R"({"sip": {"enabled": true, "auth": {"credential_cache_s": 301}}})"),
              ElementsAre(HasSubstr("sip.auth.credential_cache_s")));
}

TEST_F(ConfigTest, ListenerAddressMustBeAnIpLiteral) {
  EXPECT_THAT(parse_fail(R"({"xmpp": {"c2s": {"address": "localhost"}}})"),
              ElementsAre("xmpp.c2s.address: expected an IPv4 or IPv6 address, got "
                          "\"localhost\""));
  EXPECT_THAT(parse_fail(R"({"xmpp": {"c2s": {"address": ""}}})"),
              ElementsAre("xmpp.c2s.address: expected a non-empty string"));
}

TEST_F(ConfigTest, TwoListenersOnTheSameAddressAndPort) {
  EXPECT_THAT(parse_fail(R"({"xmpp": {"c2s": {"port": 5300}, "direct_tls": {"port": 5300}}})"),
              ElementsAre("xmpp.direct_tls: 127.0.0.1:5300 is also used by xmpp.c2s"));
  // The wildcard address overlaps every address of its family.
  EXPECT_THAT(parse_fail(R"({"xmpp": {"c2s": {"address": "0.0.0.0", "port": 5300},
                                      "direct_tls": {"port": 5300}}})"),
              ElementsAre("xmpp.direct_tls: 127.0.0.1:5300 is also used by xmpp.c2s"));
  // Port 0 picks a free port for each; a disabled listener binds nothing.
  parse_ok(R"({"xmpp": {"c2s": {"port": 0}, "direct_tls": {"port": 0}}})");
  parse_ok(R"({"xmpp": {"c2s": {"port": 5300}, "direct_tls": {"port": 5300, "enabled": false}}})");
  parse_ok(R"({"xmpp": {"c2s": {"port": 5300}, "direct_tls": {"address": "127.0.0.2",
                                                                 "port": 5300}}})");
}

TEST_F(ConfigTest, UnreadableCertificateAndKey) {
  Problems p = parse_fail(R"({"tls": {"certificate": "missing.pem", "private_key": "nokey.pem"}})");
  EXPECT_THAT(p, ElementsAre("tls.certificate: cannot read " + (dir_ / "missing.pem").string() +
                                 ": No such file or directory",
                             "tls.private_key: cannot read " + (dir_ / "nokey.pem").string() +
                                 ": No such file or directory"));
}

TEST_F(ConfigTest, CertificateAndKeyMustBePem) {
  write("cert.pem", "not a certificate");
  write("key.pem", "-----BEGIN CERTIFICATE-----\n");
  Problems p = parse_fail(R"({"tls": {"certificate": "cert.pem", "private_key": "key.pem"}})");
  EXPECT_THAT(
      p,
      ElementsAre("tls.certificate: " + (dir_ / "cert.pem").string() + " is not a PEM certificate",
                  "tls.private_key: " + (dir_ / "key.pem").string() + " is not a PEM private key"));
  fs::create_directory(dir_ / "adir");
  EXPECT_THAT(
      parse_fail(R"({"tls": {"certificate": "adir", "private_key": "key.pem"}})"),
      Contains("tls.certificate: cannot read " + (dir_ / "adir").string() + ": is a directory"));
}

TEST_F(ConfigTest, CertificateAndKeyComeTogether) {
  write("cert.pem", "-----BEGIN CERTIFICATE-----\n");
  EXPECT_THAT(parse_fail(R"({"tls": {"certificate": "cert.pem"}})"),
              ElementsAre("tls.private_key: required when tls.certificate is set"));
  write("key.pem", "-----BEGIN EC PRIVATE KEY-----\n");
  EXPECT_THAT(parse_fail(R"({"tls": {"private_key": "key.pem"}})"),
              ElementsAre("tls.certificate: required when tls.private_key is set"));
}

TEST_F(ConfigTest, FileChecksCanBeSkipped) {
  parse_ok(R"({"tls": {"certificate": "missing.pem", "private_key": "missing.key"}})",
           CheckOptions{.files = false});
}

TEST_F(ConfigTest, DataDirMustBeCreatable) {
  write("plainfile", "x");
  EXPECT_THAT(
      parse_fail(R"({"data_dir": "plainfile"})"),
      ElementsAre("data_dir: " + (dir_ / "plainfile").string() + " exists and is not a directory"));
  EXPECT_THAT(parse_fail(R"({"data_dir": "plainfile/sub/data"})"),
              ElementsAre("data_dir: cannot create " + (dir_ / "plainfile/sub/data").string() +
                          ": " + (dir_ / "plainfile").string() + " is not a directory"));
  // Not existing yet but creatable: fine, and nothing is created at check time.
  parse_ok(R"({"data_dir": "new/deeper"})");
  EXPECT_FALSE(fs::exists(dir_ / "new"));
}

// A listening socket on a port the kernel picked: "in use" for the port check.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&sa), len) != 0 ||
        ::listen(fd_, 1) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
      ADD_FAILURE() << "cannot set up a listening socket";
      return;
    }
    port_ = ntohs(sa.sin_port);
  }
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(ConfigTest, PortAlreadyInUse) {
  Listener busy;
  std::string port = std::to_string(busy.port());
  std::string text = R"({"xmpp": {"c2s": {"port": )" + port + R"(}, "direct_tls": {"port": 0}}})";
  EXPECT_THAT(parse_fail(text, CheckOptions{.ports = true}),
              ElementsAre("xmpp.c2s: 127.0.0.1:" + port + ": port already in use"));
  // Without the port check the same file is fine (parleyd itself reports bind errors).
  parse_ok(text);
}

TEST_F(ConfigTest, CheckPortsPassesForFreeAndAnyPorts) {
  ParleyConfig c = parse_ok(R"({"xmpp": {"c2s": {"port": 0}, "direct_tls": {"port": 0}}})");
  EXPECT_THAT(check_ports(c), IsEmpty());
  Listener busy;
  c.xmpp.direct_tls.port = static_cast<std::uint16_t>(busy.port());
  c.xmpp.direct_tls.enabled = false;
  EXPECT_THAT(check_ports(c), IsEmpty());
  c.xmpp.direct_tls.enabled = true;
  EXPECT_THAT(check_ports(c), ElementsAre(HasSubstr("xmpp.direct_tls: 127.0.0.1:")));
}

}  // namespace
}  // namespace parley::config
