#pragma once
// Injected time and id sources of the core, so tests control both.
#include <chrono>
#include <functional>
#include <string>

#include "mapping/model/message.hpp"

namespace parley::core {

// Returns "now"; the router stamps accepted messages with it (XEP-0203 delay on redelivery).
using Clock = std::function<model::Timestamp()>;
// Returns a new unique stanza id (XEP-0359 §3: unique and stable per stanza). Thread-safe.
using IdGenerator = std::function<std::string()>;

inline Clock system_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace parley::core
