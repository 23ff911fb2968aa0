#pragma once
// What the core's services share: configuration, injected collaborators and the in-memory
// tables. Owned by CoreService; store jobs hold keep_alive() so the context (and the services
// living next to it) outlive every job still queued on the store executor.
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "gateway/api/compliance.hpp"
#include "gateway/api/message_archive.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/core/account_cache.hpp"
#include "gateway/core/block_cache.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/core_config.hpp"
#include "gateway/core/directory_cache.hpp"
#include "gateway/core/endpoint_table.hpp"

namespace parley::core {

struct CoreContext {
  CoreContext(CoreConfig cfg, api::StoreExecutor& executor, Clock clk, IdGenerator id_gen)
      : config(std::move(cfg)),
        store(executor),
        clock(std::move(clk)),
        ids(std::move(id_gen)),
        endpoints(config.shards),
        accounts(config.shards),
        blocks(config.shards) {}

  CoreConfig config;
  api::StoreExecutor& store;
  Clock clock;
  IdGenerator ids;
  EndpointTable endpoints;
  AccountCache accounts;
  BlockCache blocks;
  DirectoryCache directory;
  std::weak_ptr<void> owner;               // set by CoreService right after construction
  api::MessageArchive* archive = nullptr;  // XEP-0313 user archives; nullptr: none
  // Issue 6: im.subscription events, appended inside the roster jobs (outbox: store thread).
  api::ComplianceRecorder compliance;

  // A local user (or the server itself) of one of our domains (RFC 6120 §10.5 local delivery).
  bool is_local(const model::Address& address) const {
    return std::find(config.domains.begin(), config.domains.end(), address.domain()) !=
           config.domains.end();
  }

  // Runs `work` on the store thread and `done(result or nullopt on failure)` after the commit.
  template <class R>
  void run(std::function<R(api::Stores&)> work, std::function<void(std::optional<R>)> done) {
    api::run_on_store<R>(store, std::move(work),
                         [keep = owner.lock(), done = std::move(done)](std::optional<R> result) {
                           if (done) done(std::move(result));
                         });
  }
};

}  // namespace parley::core
