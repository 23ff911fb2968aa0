#pragma once
// Settings of the rooms service (filled by config/ or gateway/app).
#include <cstddef>
#include <functional>

#include "mapping/model/message.hpp"

namespace parley::core::rooms {

struct RoomsConfig {
  std::size_t default_join_history = 20;  // XEP-0045 §7.2.15: messages sent on join
  std::size_t max_join_history = 200;     // cap on maxstanzas
  std::size_t max_page = 500;             // cap on history/search page sizes
  std::size_t max_pending_posts = 1000;   // per room, not yet committed: then resource-constraint
  std::size_t max_queued_tasks = 10000;   // per room serial queue: then resource-constraint
  std::size_t drain_budget = 64;          // tasks per dispatch with a dispatcher
  std::size_t max_occupants = 10000;      // per room: then service-unavailable (XEP-0045 §7.2.11)
  std::size_t max_watchers_per_user = 64;
};

using RoomsClock = std::function<model::Timestamp()>;

}  // namespace parley::core::rooms
