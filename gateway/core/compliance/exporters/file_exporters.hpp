#pragma once
// The file exporters: JSON Lines and XML, both on a RotatingFile (fsync before confirming,
// rotation by size and age, never overwriting). Formats in docs/compliance.md.
//  - JSONL: one event per line, the compliance_json form.
//  - XML: each file is one document, <compliance-events xmlns="urn:parley:compliance:1"> with
//    one <event/> per line; the end tag is written when the file is rotated, so only the active
//    file lacks it. Text XML cannot carry (invalid UTF-8, control characters) is written as
//    base64 with encoding="base64", so nothing recorded is lost.
#include <span>
#include <string>

#include "gateway/core/compliance/exporters/exporter.hpp"
#include "gateway/core/compliance/exporters/rotating_file.hpp"

namespace parley::core::compliance {

class JsonlExporter final : public Exporter {
 public:
  JsonlExporter(const ExporterConfig& config, ComplianceClock clock);
  const std::string& name() const override { return name_; }
  ExportResult export_batch(std::span<const api::ComplianceEvent> events) override;
  const RotatingFile& file() const { return file_; }

 private:
  std::string name_;
  RotatingFile file_;
};

class XmlExporter final : public Exporter {
 public:
  XmlExporter(const ExporterConfig& config, ComplianceClock clock);
  const std::string& name() const override { return name_; }
  ExportResult export_batch(std::span<const api::ComplianceEvent> events) override;
  const RotatingFile& file() const { return file_; }

 private:
  std::string name_;
  RotatingFile file_;
};

// One <event .../> element, one line without the trailing '\n'.
std::string event_to_xml(const api::ComplianceEvent& event);

}  // namespace parley::core::compliance
