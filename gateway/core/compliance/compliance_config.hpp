#pragma once
// Settings of the compliance service (issue 6), filled by config/compliance_section.cpp from the
// "compliance" section of parley.jsonc (keys documented in docs/configuration.md and
// docs/compliance.md). Plain values: no parsing here.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "gateway/api/compliance.hpp"

namespace parley::core::compliance {

enum class ExporterType { jsonl, xml, http };

struct ExporterConfig {
  std::string name;  // unique; the key of its cursor and status rows: renaming restarts it
  ExporterType type = ExporterType::jsonl;
  // jsonl / xml: files under `directory` (absolute once parsed), the active one
  // "<file_prefix>.jsonl" (".xml"), rotated ones "<file_prefix>-<UTC stamp>-<n>.jsonl".
  std::filesystem::path directory;
  std::string file_prefix = "compliance";
  std::uint64_t rotate_bytes = 64ull * 1024 * 1024;  // 0: never by size
  std::chrono::seconds rotate_age{3600};             // 0: never by age
  // http: POST {"events": [...]} to `url` (http:// only); 2xx confirms the batch.
  std::string url;
  std::chrono::milliseconds timeout{10000};  // the whole request: connect, send, response
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers, in order
};

struct ComplianceConfig {
  bool enabled = false;
  // Recorded kinds by wire name (api::kind_name); "*" means all. Default: every room and file
  // event; the 1:1 kinds (im.message, im.subscription) only when listed.
  std::vector<std::string> events = default_events();
  std::size_t batch_size = 500;                                  // events per export call
  std::chrono::milliseconds poll_interval{1000};                 // idle re-check of the outbox
  std::chrono::milliseconds retry_min{1000};                     // first backoff after a failure
  std::chrono::milliseconds retry_max{std::chrono::minutes(5)};  // backoff cap
  std::vector<ExporterConfig> exporters;

  static std::vector<std::string> default_events();
  // What the services read: enabled plus the kinds of `events` (unknown names are ignored here;
  // the config parser rejects them).
  api::ComplianceSettings settings() const;
  std::vector<std::string> exporter_names() const;
};

}  // namespace parley::core::compliance
