// The "compliance" section: every problem collected, paths resolved, event names expanded.
#include "config/compliance_section.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "config/json_section.hpp"
#include "gateway/core/compliance/http_url.hpp"

namespace parley::config {
namespace {

using detail::Section;
namespace cc = core::compliance;
namespace fs = std::filesystem;

constexpr std::int64_t kDaySeconds = 24 * 60 * 60;

// RFC 9110 §5.6.2 token characters: what a header name may be made of.
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// Cursor and status rows are keyed by the name, and it shows in logs: keep it plain.
bool is_exporter_name(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// Expands "*", "room.*" and exact names; reports unknown ones.
std::vector<std::string> expand_events(Section& section, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  auto add = [&out](std::string_view name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    bool matched = false;
    for (std::size_t k = 0; k < api::kComplianceEventKinds; ++k) {
      const auto kind_text = api::kind_name(static_cast<api::ComplianceEventKind>(k));
      const bool prefix = name.size() >= 2 && name.ends_with(".*") &&
                          kind_text.starts_with(std::string_view(name).substr(0, name.size() - 1));
      if (name == "*" || name == kind_text || prefix) {
        add(kind_text);
        matched = true;
      }
    }
    if (!matched) {
      section.problem("events[" + std::to_string(i) + "]",
                      "unknown event kind \"" + name +
                          "\" (see docs/compliance.md: e.g. \"room.post\", \"room.*\", \"*\")");
    }
  }
  return out;
}

void read_headers(Section& section, const nlohmann::json& node, cc::ExporterConfig& out) {
  const auto it = node.find("headers");
  if (it == node.end()) return;
  if (!it->is_object()) {
    section.problem("headers",
                    "expected an object of header names to strings, got " + detail::type_name(*it));
    return;
  }
  static constexpr std::string_view kReserved[] = {"host",         "content-length",
                                                   "content-type", "transfer-encoding",
                                                   "connection",   "idempotency-key"};
  for (const auto& [name, value] : it->items()) {
    const std::string key = "headers." + name;
    if (!is_token(name)) {
      section.problem(key, "not a valid header name");
      continue;
    }
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(std::begin(kReserved), std::end(kReserved), lower) != std::end(kReserved)) {
      section.problem(key, "set by parleyd; cannot be configured");
      continue;
    }
    if (!value.is_string()) {
      section.problem(key, "expected a string, got " + detail::type_name(value));
      continue;
    }
    const auto text = value.get<std::string>();
    // RFC 9110 §5.5: CR, LF and NUL are never allowed in a field value (header injection).
    if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      section.problem(key, "must not contain CR, LF or NUL");
      continue;
    }
    out.headers.emplace_back(name, text);
  }
}

void read_exporter(const nlohmann::json& node, const std::string& path, const fs::path& data_dir,
                   std::vector<std::string>& problems, cc::ExporterConfig& out) {
  Section s(&node, path, problems,
            {"name", "type", "directory", "file_prefix", "rotate_bytes", "rotate_seconds", "url",
             "timeout_ms", "headers"});
  s.string("name", out.name, /*allow_empty=*/false);
  if (!s.present("name")) {
    s.problem("name", "required");
  } else if (!out.name.empty() && !is_exporter_name(out.name)) {
    s.problem("name", "use 1 to 64 letters, digits, '-', '_' or '.'");
  }
  if (!s.present("type")) s.problem("type", "required (\"jsonl\", \"xml\" or \"http\")");
  s.enumeration("type", out.type,
                {{"jsonl", cc::ExporterType::jsonl},
                 {"xml", cc::ExporterType::xml},
                 {"http", cc::ExporterType::http}});
  const bool file = out.type != cc::ExporterType::http;
  auto only_for = [&s](std::string_view key, std::string_view types) {
    if (s.present(key)) s.problem(key, "only for type " + std::string(types));
  };
  if (file) {
    std::string directory = "compliance";
    s.string("directory", directory, /*allow_empty=*/false);
    fs::path p(directory);
    out.directory = (p.is_relative() ? data_dir / p : p).lexically_normal();
    s.string("file_prefix", out.file_prefix, /*allow_empty=*/false);
    if (out.file_prefix.find_first_of("/\\") != std::string::npos || out.file_prefix == "." ||
        out.file_prefix == "..") {
      s.problem("file_prefix", "a file name prefix, not a path");
    }
    s.integer("rotate_bytes", out.rotate_bytes, 0, std::int64_t{1} << 50);
    std::int64_t rotate_seconds = out.rotate_age.count();
    s.integer("rotate_seconds", rotate_seconds, 0, 366 * kDaySeconds);
    out.rotate_age = std::chrono::seconds(rotate_seconds);
    for (auto key : {"url", "timeout_ms", "headers"}) only_for(key, "http");
  } else {
    s.string("url", out.url, /*allow_empty=*/false);
    if (!s.present("url")) {
      s.problem("url", "required for type http");
    } else if (!out.url.empty()) {
      if (auto url = cc::parse_http_url(out.url); !url) s.problem("url", url.error());
    }
    std::int64_t timeout = out.timeout.count();
    s.integer("timeout_ms", timeout, 100, 600'000);
    out.timeout = std::chrono::milliseconds(timeout);
    read_headers(s, node, out);
    for (auto key : {"directory", "file_prefix", "rotate_bytes", "rotate_seconds"}) {
      only_for(key, "jsonl or xml");
    }
  }
}

}  // namespace

void read_compliance_section(const nlohmann::json& doc, const fs::path& data_dir,
                             std::vector<std::string>& problems, cc::ComplianceConfig& out) {
  const auto it = doc.find("compliance");
  const nlohmann::json* node = it == doc.end() ? nullptr : &*it;
  if (node != nullptr && !node->is_object()) {
    problems.push_back("compliance: expected an object, got " + detail::type_name(*node));
    return;
  }
  Section s(node, "compliance", problems,
            {"enabled", "events", "batch_size", "poll_interval_ms", "retry_min_ms", "retry_max_ms",
             "exporters"});
  s.boolean("enabled", out.enabled);
  if (s.present("events")) {
    std::vector<std::string> names;
    s.string_list("events", names);
    out.events = expand_events(s, names);
  }
  s.integer("batch_size", out.batch_size, 1, 100'000);
  std::int64_t poll = out.poll_interval.count();
  s.integer("poll_interval_ms", poll, 10, 3'600'000);
  out.poll_interval = std::chrono::milliseconds(poll);
  std::int64_t retry_min = out.retry_min.count();
  std::int64_t retry_max = out.retry_max.count();
  s.integer("retry_min_ms", retry_min, 10, 3'600'000);
  s.integer("retry_max_ms", retry_max, 10, kDaySeconds * 1000);
  if (retry_max < retry_min) {
    s.problem("retry_max_ms", "must be at least retry_min_ms (" + std::to_string(retry_min) + ")");
  }
  out.retry_min = std::chrono::milliseconds(retry_min);
  out.retry_max = std::chrono::milliseconds(retry_max);

  if (node != nullptr) {
    if (const auto exporters = node->find("exporters"); exporters != node->end()) {
      if (!exporters->is_array()) {
        s.problem("exporters",
                  "expected an array of objects, got " + detail::type_name(*exporters));
      } else {
        std::set<std::string> names;
        std::set<std::pair<fs::path, std::string>> files;
        for (std::size_t i = 0; i < exporters->size(); ++i) {
          const auto& entry = (*exporters)[i];
          const std::string path = "compliance.exporters[" + std::to_string(i) + "]";
          if (!entry.is_object()) {
            problems.push_back(path + ": expected an object, got " + detail::type_name(entry));
            continue;
          }
          cc::ExporterConfig exporter;
          read_exporter(entry, path, data_dir, problems, exporter);
          if (!exporter.name.empty() && !names.insert(exporter.name).second) {
            problems.push_back(path + ".name: \"" + exporter.name + "\" is used twice");
          }
          if (exporter.type != cc::ExporterType::http) {
            // Two exporters writing the same files would interleave and rotate each other's.
            const std::string ext = exporter.type == cc::ExporterType::jsonl ? "jsonl" : "xml";
            if (!files.insert({exporter.directory, exporter.file_prefix + "." + ext}).second) {
              problems.push_back(
                  path + ".file_prefix: another exporter writes " +
                  (exporter.directory / (exporter.file_prefix + "." + ext)).string());
            }
          }
          out.exporters.push_back(std::move(exporter));
        }
      }
    }
  }
  if (out.enabled && out.exporters.empty()) {
    s.problem("exporters", "at least one exporter is required when compliance is enabled");
  }
}

}  // namespace parley::config
