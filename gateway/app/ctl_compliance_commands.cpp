#include "gateway/app/ctl_compliance_commands.hpp"

#include <chrono>

#include "gateway/core/compliance/compliance_json.hpp"
#include "gateway/storage/compliance/compliance_store.hpp"

namespace parley::app {
namespace {

std::string when(const std::optional<model::Timestamp>& time) {
  return time ? core::compliance::rfc3339(*time) : std::string("never");
}

}  // namespace

CtlOutput run_compliance_command(const CtlCommand& command, api::ComplianceQueue& queue,
                                 const core::compliance::ComplianceConfig& config,
                                 model::Timestamp now) {
  CtlOutput out;
  if (command.verb != CtlVerb::compliance_status) {
    out.ok = false;
    out.error = "not a compliance command";
    return out;
  }
  const auto stats = queue.stats(config.exporter_names(), now);
  out.data = nlohmann::json::parse(storage::compliance_stats_to_json(stats));
  out.data["enabled"] = config.enabled;

  std::string& text = out.text;
  text = std::string("compliance: ") + (config.enabled ? "enabled" : "disabled") + "\n";
  text += "outbox: " + std::to_string(stats.depth) + " event(s)";
  if (stats.oldest) {
    text +=
        ", oldest " + core::compliance::rfc3339(*stats.oldest) + " (" +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(stats.oldest_age).count()) +
        " s ago)";
  }
  if (stats.exporters.empty()) text += "\nno exporters configured";
  for (const auto& e : stats.exporters) {
    text += "\nexporter " + e.name + ": cursor " + std::to_string(e.cursor) + ", pending " +
            std::to_string(e.pending) + ", exported " + std::to_string(e.exported) +
            ", last success " + when(e.last_success);
    if (e.consecutive_failures > 0 || !e.last_error.empty()) {
      text += ", consecutive failures " + std::to_string(e.consecutive_failures) +
              ", last failure " + when(e.last_failure) + ", last error: " + e.last_error;
    }
  }
  return out;
}

}  // namespace parley::app
