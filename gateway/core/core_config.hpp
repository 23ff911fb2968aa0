#pragma once
// Settings of the core services (filled by config/).
#include <cstddef>
#include <string>
#include <vector>

namespace parley::core {

struct CoreConfig {
  std::vector<std::string> domains{"localhost"};  // local domains: accounts live under these
  std::size_t max_sessions_per_account = 10;
  std::size_t max_offline_messages_per_account = 1000;  // beyond: resource-constraint to sender
  std::size_t shards = 64;  // endpoint table shards (no global lock on the message path)
};

}  // namespace parley::core
