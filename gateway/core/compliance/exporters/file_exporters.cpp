#include "gateway/core/compliance/exporters/file_exporters.hpp"

#include <openssl/evp.h>

#include <utility>

#include "gateway/core/compliance/compliance_json.hpp"
#include "gateway/core/compliance/exporters/xml_writer.hpp"

namespace parley::core::compliance {
namespace {

constexpr std::string_view kXmlNamespace = "urn:parley:compliance:1";

RotatingFileOptions file_options(const ExporterConfig& config, std::string extension) {
  RotatingFileOptions options;
  options.directory = config.directory;
  options.prefix = config.file_prefix;
  options.extension = std::move(extension);
  options.rotate_bytes = config.rotate_bytes;
  options.rotate_age = config.rotate_age;
  return options;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// A text child that loses nothing: text XML cannot carry goes as base64 (documented).
void text_element(XmlWriter& xml, std::string_view name, std::string_view value) {
  xml.start(name);
  if (is_xml_text(value)) {
    xml.text(value);
  } else {
    xml.attribute("encoding", "base64");
    xml.text(base64(value));
  }
  xml.end();
}

std::string xml_header() {
  // Constant text (no user data); the root stays open until the file is rotated.
  std::string header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<compliance-events xmlns=\"";
  header += kXmlNamespace;
  header += "\">\n";
  return header;
}

}  // namespace

std::string event_to_xml(const api::ComplianceEvent& event) {
  XmlWriter xml;
  xml.start("event");
  xml.attribute("id", event.id);
  xml.attribute("kind", api::kind_name(event.kind));
  xml.attribute("time", rfc3339(event.time));
  xml.attribute("time_us", std::to_string(to_micros(event.time)));
  xml.start("actor");
  xml.attribute("account", event.actor.account.bare_string());
  xml.attribute("protocol", protocol_name(event.actor.protocol));
  if (!event.actor.endpoint.empty()) text_element(xml, "endpoint", event.actor.endpoint);
  xml.end();
  if (!event.room.empty()) text_element(xml, "room", event.room);
  if (!event.peer.empty()) text_element(xml, "peer", event.peer.to_string());
  if (!event.content.empty()) text_element(xml, "content", event.content);
  if (!event.message_id.empty()) text_element(xml, "message-id", event.message_id);
  for (const auto& [name, value] : event.details) {
    xml.start("detail");
    xml.attribute("name", name);
    if (is_xml_text(value)) {
      xml.text(value);
    } else {
      xml.attribute("encoding", "base64");
      xml.text(base64(value));
    }
    xml.end();
  }
  xml.end();
  return xml.take();
}

JsonlExporter::JsonlExporter(const ExporterConfig& config, ComplianceClock clock)
    : name_(config.name), file_(file_options(config, "jsonl"), std::move(clock)) {}

ExportResult JsonlExporter::export_batch(std::span<const api::ComplianceEvent> events) {
  std::string records;
  for (const auto& event : events) {
    records += event_to_json(event);  // nlohmann escapes '\n' inside strings: one line each
    records.push_back('\n');
  }
  if (auto error = file_.append(records)) return ExportResult::failure(std::move(*error));
  return ExportResult::success();
}

XmlExporter::XmlExporter(const ExporterConfig& config, ComplianceClock clock)
    : name_(config.name),
      file_(
          [&] {
            auto options = file_options(config, "xml");
            options.header = xml_header();
            options.footer = "</compliance-events>\n";
            return options;
          }(),
          std::move(clock)) {}

ExportResult XmlExporter::export_batch(std::span<const api::ComplianceEvent> events) {
  std::string records;
  for (const auto& event : events) {
    records += event_to_xml(event);
    records.push_back('\n');
  }
  if (auto error = file_.append(records)) return ExportResult::failure(std::move(*error));
  return ExportResult::success();
}

}  // namespace parley::core::compliance
