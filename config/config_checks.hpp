#pragma once
// Checks of a parsed configuration against itself and the machine. Internal to parley_config.
#include <string>

#include "config/parley_config.hpp"

namespace parley::config {

bool is_ip_literal(const std::string& address);
// Two enabled listeners on the same address:port (or one on the wildcard address).
void check_listeners(const ParleyConfig& config, Problems& problems);
// The certificate and key exist, are readable and PEM; data_dir is (or can be made) writable.
void check_files(const ParleyConfig& config, Problems& problems);

}  // namespace parley::config
