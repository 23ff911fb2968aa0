#pragma once
// parleyctl -> running parleyd: after a change to accounts or departments parleyctl sends
// SIGHUP to the parleyd named in the readiness file, which reloads its caches from the
// database. Only a process whose name is "parleyd" is signalled, so a stale file (after a
// crash, with the pid reused) never hits an unrelated process.
#include <filesystem>

namespace parley::app {

// True if a running parleyd was signalled.
bool notify_reload(const std::filesystem::path& ready_file);

}  // namespace parley::app
