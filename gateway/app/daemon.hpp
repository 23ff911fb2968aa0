#pragma once
// The running daemon: wires store, core and adapters together and owns the shutdown sequence.
#include "config/parley_config.hpp"

namespace parley::app {

// Runs until SIGTERM/SIGINT; returns the process exit code (0 after a graceful shutdown,
// 1 when startup fails — the reason is logged and printed to stderr).
int run_daemon(const config::ParleyConfig& config);

}  // namespace parley::app
