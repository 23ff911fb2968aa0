// make_exporters: one exporter object per configured entry.
#include "gateway/core/compliance/exporters/exporter.hpp"
#include "gateway/core/compliance/exporters/file_exporters.hpp"
#include "gateway/core/compliance/exporters/http_exporter.hpp"

namespace parley::core::compliance {

std::vector<std::unique_ptr<Exporter>> make_exporters(const ComplianceConfig& config,
                                                      const ComplianceClock& clock) {
  std::vector<std::unique_ptr<Exporter>> exporters;
  for (const auto& entry : config.exporters) {
    switch (entry.type) {
      case ExporterType::jsonl:
        exporters.push_back(std::make_unique<JsonlExporter>(entry, clock));
        break;
      case ExporterType::xml:
        exporters.push_back(std::make_unique<XmlExporter>(entry, clock));
        break;
      case ExporterType::http:
        exporters.push_back(std::make_unique<HttpExporter>(entry));
        break;
    }
  }
  return exporters;
}

}  // namespace parley::core::compliance
