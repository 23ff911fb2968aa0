#pragma once
// Where parleyd and parleyctl find their configuration: --config FILE, else ./parley.jsonc when
// present, else the built-in defaults (relative paths then resolve against the working
// directory). Both programs must agree, or parleyctl would open another database.
#include <filesystem>
#include <optional>

#include "config/parley_config.hpp"

namespace parley::app {

inline constexpr const char* kDefaultConfigName = "parley.jsonc";

model::Expected<config::ParleyConfig, config::Problems> load_app_config(
    const std::optional<std::filesystem::path>& explicit_file, const config::CheckOptions& checks);

}  // namespace parley::app
