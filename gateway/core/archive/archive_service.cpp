#include "gateway/core/archive/archive_service.hpp"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "gateway/log/log.hpp"

namespace parley::core {

struct ArchiveService::State {
  State(api::ArchiveStoreExecutor& executor, ArchiveConfig cfg) : store(executor), config(cfg) {}

  api::ArchiveStoreExecutor& store;
  ArchiveConfig config;
  std::mutex mutex;
  std::vector<api::ArchiveEntry> pending;  // guarded by mutex
  bool flush_queued = false;               // guarded by mutex: a drain job is in the queue
  std::uint64_t dropped = 0;               // guarded by mutex
};

std::vector<api::ArchiveEntry> archive_entries(std::shared_ptr<const model::Message> message) {
  std::vector<api::ArchiveEntry> entries;
  if (!message) return entries;
  const model::Address sender = message->from.bare();
  const model::Address recipient = message->to.bare();
  entries.push_back(
      api::ArchiveEntry{sender, message->to, api::ArchiveDirection::outgoing, message});
  if (recipient != sender) {
    entries.push_back(api::ArchiveEntry{recipient, message->from, api::ArchiveDirection::incoming,
                                        std::move(message)});
  }
  return entries;
}

ArchiveService::ArchiveService(api::ArchiveStoreExecutor& store, ArchiveConfig config)
    : state_(std::make_shared<State>(store, config)) {}

ArchiveService::~ArchiveService() = default;

std::uint64_t ArchiveService::dropped() const {
  std::lock_guard lock(state_->mutex);
  return state_->dropped;
}

void ArchiveService::record(std::shared_ptr<const model::Message> message) {
  if (!message || message->stanza_id.empty()) return;
  auto entries = archive_entries(std::move(message));
  bool submit = false;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->pending.size() + entries.size() > state_->config.max_pending) {
      // Logged once per 1000 drops: a flood of identical lines would not say more.
      if (state_->dropped % 1000 < entries.size()) {
        PARLEY_LOG_WARN("archive", "", "archive_backlog_full",
                        {{"pending", std::to_string(state_->pending.size())},
                         {"dropped", std::to_string(state_->dropped + entries.size())}});
      }
      state_->dropped += entries.size();
      return;
    }
    for (auto& entry : entries) state_->pending.push_back(std::move(entry));
    if (!state_->flush_queued) {
      state_->flush_queued = true;
      submit = true;
    }
  }
  if (!submit) return;
  // Submitted outside the lock: a refusing executor calls done at once on this thread.
  state_->store.submit(api::ArchiveStoreJob{
      [state = state_](api::ArchiveStore& store) {
        std::vector<api::ArchiveEntry> batch;
        {
          std::lock_guard lock(state->mutex);
          batch.swap(state->pending);
          state->flush_queued = false;
        }
        store.append(batch);
      },
      [state = state_](bool committed, const std::string& error) {
        if (committed) return;
        PARLEY_LOG_ERROR("archive", "", "archive_write_failed", {{"error", error}});
        std::lock_guard lock(state->mutex);
        // A job refused before it ran leaves its entries pending: let the next record retry.
        state->flush_queued = false;
      }});
}

void ArchiveService::query(
    api::ArchiveQuery query,
    std::function<void(model::Expected<api::ArchivePage, model::StanzaError>)> done) {
  using Result = model::Expected<api::ArchivePage, model::StanzaError>;
  if (query.owner.empty()) {
    done(Result::failure(model::StanzaError::make(model::ErrorCondition::bad_request)));
    return;
  }
  api::ArchiveRange range;
  range.owner = query.owner.bare();
  range.with = std::move(query.with);
  range.start = query.start;
  range.end = query.end;
  range.after_id = std::move(query.after_id);
  range.before_id = std::move(query.before_id);
  range.limit = std::min(query.limit, state_->config.max_page);
  range.order = query.order;
  auto slice = std::make_shared<api::ArchiveSlice>();
  state_->store.submit(api::ArchiveStoreJob{
      [slice, range = std::move(range)](api::ArchiveStore& store) { *slice = store.slice(range); },
      [slice, done = std::move(done)](bool committed, const std::string&) {
        if (!committed) {
          done(Result::failure(
              model::StanzaError::make(model::ErrorCondition::internal_server_error)));
          return;
        }
        if (slice->unknown_id) {
          // XEP-0313 §4.3.1 / XEP-0059 §2.6: paging from an id that is not in the archive.
          done(Result::failure(model::StanzaError::make(model::ErrorCondition::item_not_found)));
          return;
        }
        done(api::ArchivePage{std::move(slice->messages), slice->complete});
      }});
}

}  // namespace parley::core
