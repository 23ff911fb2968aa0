#pragma once
// The "compliance" section of parley.jsonc (docs/compliance.md, docs/configuration.md):
//   "compliance": {"enabled": false, "events": ["room.*", "file.*"], "batch_size": 500,
//                  "poll_interval_ms": 1000, "retry_min_ms": 1000, "retry_max_ms": 300000,
//                  "exporters": [{"name": "archive", "type": "jsonl", "directory": "compliance",
//                                 "file_prefix": "compliance", "rotate_bytes": 67108864,
//                                 "rotate_seconds": 3600},
//                                {"name": "vault", "type": "http", "url": "http://...",
//                                 "timeout_ms": 10000, "headers": {"Authorization": "..."}}]}
// "events" takes wire names ("room.post"), prefixes with ".*" ("room.*") and "*"; it is stored
// expanded to wire names.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gateway/core/compliance/compliance_config.hpp"

namespace parley::config {

// Reads doc["compliance"] into `out`, adding one problem per bad key as
// "compliance.<key>: message" (exporters as "compliance.exporters[1].url: ..."). Relative
// exporter directories resolve against `data_dir`.
void read_compliance_section(const nlohmann::json& doc, const std::filesystem::path& data_dir,
                             std::vector<std::string>& problems,
                             core::compliance::ComplianceConfig& out);

}  // namespace parley::config
