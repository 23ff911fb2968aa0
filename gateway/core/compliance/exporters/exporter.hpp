#pragma once
// An exporter hands a batch of compliance events to one destination (a file set, an HTTP
// endpoint). The worker calls export_batch on its own thread, blocking; success means the
// destination holds the events durably (fsync'ed, or acknowledged with 2xx), after which the
// worker advances this exporter's cursor. A batch may be offered again after a failure or a
// crash between success and the cursor commit: delivery is at-least-once and the event id is
// the idempotency key (docs/compliance.md).
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gateway/api/compliance.hpp"
#include "gateway/core/compliance/compliance_config.hpp"

namespace parley::core::compliance {

struct ExportResult {
  bool ok = true;
  std::string error;  // for the status row and the log when !ok
  static ExportResult success() { return {}; }
  static ExportResult failure(std::string error) { return {false, std::move(error)}; }
};

class Exporter {
 public:
  virtual ~Exporter() = default;
  virtual const std::string& name() const = 0;
  // `events` is non-empty and in outbox order. Must not throw.
  virtual ExportResult export_batch(std::span<const api::ComplianceEvent> events) = 0;
};

using ComplianceClock = std::function<model::Timestamp()>;

// One exporter per configured entry. The clock drives file rotation by age (tests inject one).
std::vector<std::unique_ptr<Exporter>> make_exporters(const ComplianceConfig& config,
                                                      const ComplianceClock& clock);

}  // namespace parley::core::compliance
