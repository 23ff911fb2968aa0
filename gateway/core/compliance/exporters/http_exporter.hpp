#pragma once
// HttpExporter: POSTs each batch to a URL (http:// only; put a TLS proxy in front for https).
// Body: {"events": [<compliance_json event>, ...]} (application/json). Headers: the configured
// ones, plus Idempotency-Key: "<first event id>..<last event id>". The receiver must dedupe by
// the event ids in the body: after a failure the retried batch starts at the same event but may
// hold more events, so only the per-event ids are stable. Any 2xx confirms the batch; anything
// else, a timeout or a connection error fails it (the worker retries with backoff).
// One blocking request per call, bounded by the configured timeout (connect + send + response).
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "gateway/core/compliance/exporters/exporter.hpp"
#include "gateway/core/compliance/http_url.hpp"

namespace parley::core::compliance {

class HttpExporter final : public Exporter {
 public:
  // `config.url` must parse (the config parser checks it); if it does not every export fails.
  explicit HttpExporter(const ExporterConfig& config);
  const std::string& name() const override { return name_; }
  ExportResult export_batch(std::span<const api::ComplianceEvent> events) override;

 private:
  std::string name_;
  model::Expected<HttpUrl> url_;
  std::chrono::milliseconds timeout_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace parley::core::compliance
