#include "gateway/app/app_config.hpp"

#include <system_error>

namespace parley::app {

model::Expected<config::ParleyConfig, config::Problems> load_app_config(
    const std::optional<std::filesystem::path>& explicit_file, const config::CheckOptions& checks) {
  if (explicit_file) return config::load_config(*explicit_file, checks);
  std::error_code ec;
  std::filesystem::path local = kDefaultConfigName;
  if (std::filesystem::exists(local, ec)) return config::load_config(local, checks);
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  return config::parse_config("{}", cwd, checks);
}

}  // namespace parley::app
