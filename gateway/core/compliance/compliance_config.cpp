#include "gateway/core/compliance/compliance_config.hpp"

namespace parley::core::compliance {

std::vector<std::string> ComplianceConfig::default_events() {
  return {"room.join",   "room.leave",  "room.post",   "room.read", "room.topic",  "room.invite",
          "room.create", "room.modify", "room.delete", "room.role", "file.upload", "file.download"};
}

api::ComplianceSettings ComplianceConfig::settings() const {
  api::ComplianceSettings settings;
  settings.enabled = enabled;
  for (const auto& name : events) {
    if (name == "*") {
      settings.kinds.fill(true);
      continue;
    }
    if (const auto kind = api::kind_from_name(name)) {
      settings.kinds[static_cast<std::size_t>(*kind)] = true;
    }
  }
  return settings;
}

std::vector<std::string> ComplianceConfig::exporter_names() const {
  std::vector<std::string> names;
  names.reserve(exporters.size());
  for (const auto& exporter : exporters) names.push_back(exporter.name);
  return names;
}

}  // namespace parley::core::compliance
