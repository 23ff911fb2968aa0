#pragma once
// XEP-0191 blocking command: list, block, unblock, with pushes to every resource that asked
// for the block list and the presence effects of §3.3 / §3.4.
#include <functional>
#include <vector>

#include "gateway/api/core.hpp"
#include "gateway/core/core_context.hpp"

namespace parley::core {

class BlockService {
 public:
  explicit BlockService(CoreContext& ctx) : ctx_(ctx) {}

  void list(const model::Address& user, std::function<void(std::vector<model::Address>)> done);
  void block(const model::Address& user, std::vector<model::Address> items,
             api::ErrorCallback done);
  void unblock(const model::Address& user, std::vector<model::Address> items,
               api::ErrorCallback done);
  // Loads the user's list into the cache ahead of the first message (called on bind).
  void warm(const model::Address& user);

 private:
  CoreContext& ctx_;
};

}  // namespace parley::core
