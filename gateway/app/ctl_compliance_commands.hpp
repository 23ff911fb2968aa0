#pragma once
// `parleyctl compliance status [--json]` (docs/compliance.md): the outbox depth, the oldest
// event's age and each configured exporter's cursor, pending count, last error and failure
// count, read from parleyd's database directly (the worker keeps its status there), so it
// works whether parleyd runs or not.
#include "gateway/api/compliance_queue.hpp"
#include "gateway/app/ctl_commands.hpp"
#include "gateway/core/compliance/compliance_config.hpp"

namespace parley::app {

CtlOutput run_compliance_command(const CtlCommand& command, api::ComplianceQueue& queue,
                                 const core::compliance::ComplianceConfig& config,
                                 model::Timestamp now);

}  // namespace parley::app
