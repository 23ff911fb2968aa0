#include "gateway/core/archive/archive_service.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "gateway/log/log.hpp"

namespace parley::core {

struct ArchiveService::State {
  State(api::ArchiveStoreExecutor& executor, ArchiveConfig cfg, api::ComplianceRecorder recorder)
      : store(executor), config(cfg), compliance(recorder) {}

  api::ArchiveStoreExecutor& store;
  ArchiveConfig config;
  const api::ComplianceRecorder compliance;  // the outbox only inside store jobs
  std::mutex mutex;
  std::vector<api::ArchiveEntry> pending;            // guarded by mutex
  std::vector<api::ComplianceEvent> pending_events;  // guarded by mutex; written with `pending`
  bool flush_queued = false;  // guarded by mutex: a drain job is in the queue
  std::uint64_t dropped = 0;  // guarded by mutex
  // max(pending.size(), pending_events.size()) >= max_pending / 2, written under mutex, read
  // without it by every session's reader.
  std::atomic<bool> backlogged{false};

  // Under mutex, after pending changed.
  void update_backlogged() {
    const std::size_t backlog = std::max(pending.size(), pending_events.size());
    backlogged.store(backlog >= std::max<std::size_t>(config.max_pending / 2, 1),
                     std::memory_order_relaxed);
  }
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

namespace {

// The im.message event of a 1:1 message (compliance.hpp): the sender's account and endpoint,
// the recipient as addressed, the body, and the server's stanza id as the recorded object.
api::ComplianceEvent message_event(const model::Message& message) {
  api::ComplianceEvent event;
  event.id = api::new_compliance_id();
  event.time =
      message.stamp == model::Timestamp{} ? std::chrono::system_clock::now() : message.stamp;
  event.kind = api::ComplianceEventKind::message;
  event.actor.account = message.from.bare();
  event.actor.endpoint = message.from.to_string();
  event.peer = message.to;
  event.content = message.body;
  event.message_id = message.stanza_id;
  event.details.emplace_back("type", std::string(model::message_type_name(message.type)));
  if (!message.id.empty()) event.details.emplace_back("id", message.id);
  if (!message.thread.empty()) event.details.emplace_back("thread", message.thread);
  return event;
}

}  // namespace

ArchiveService::ArchiveService(api::ArchiveStoreExecutor& store, ArchiveConfig config,
                               api::ComplianceRecorder compliance)
    : state_(std::make_shared<State>(store, config, compliance)) {}

ArchiveService::~ArchiveService() = default;

bool ArchiveService::backlogged() const {
  return state_->backlogged.load(std::memory_order_relaxed);
}

std::uint64_t ArchiveService::dropped() const {
  std::lock_guard lock(state_->mutex);
  return state_->dropped;
}

void ArchiveService::record(std::shared_ptr<const model::Message> message) {
  if (!message || message->stanza_id.empty()) return;
  std::optional<api::ComplianceEvent> event;
  if (state_->compliance.records(api::ComplianceEventKind::message)) {
    event = message_event(*message);  // built outside the lock: the id draws random bits
  }
  std::vector<api::ArchiveEntry> entries;
  if (state_->config.enabled) entries = archive_entries(std::move(message));
  if (entries.empty() && !event) return;
  bool submit = false;
  {
    std::lock_guard lock(state_->mutex);
    // The backlog in rows, or in events when there are no rows (archive off, compliance on):
    // with the archive on every event comes with at least one row.
    const std::size_t backlog = std::max(state_->pending.size(), state_->pending_events.size());
    const std::size_t adding = std::max<std::size_t>(entries.size(), event ? 1 : 0);
    if (backlog + adding > state_->config.max_pending) {
      // Logged once per 1000 drops: a flood of identical lines would not say more.
      if (state_->dropped % 1000 < adding) {
        PARLEY_LOG_WARN("archive", "", "archive_backlog_full",
                        {{"pending", std::to_string(backlog)},
                         {"dropped", std::to_string(state_->dropped + adding)}});
      }
      state_->dropped += adding;
      return;
    }
    for (auto& entry : entries) state_->pending.push_back(std::move(entry));
    if (event) state_->pending_events.push_back(std::move(*event));
    state_->update_backlogged();
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
        std::vector<api::ComplianceEvent> events;
        {
          std::lock_guard lock(state->mutex);
          batch.swap(state->pending);
          events.swap(state->pending_events);
          state->flush_queued = false;
          state->update_backlogged();
        }
        if (!batch.empty()) store.append(batch);
        // Issue 6: in the archive rows' job, so the rows and their events commit together.
        for (const auto& recorded : events) state->compliance.outbox->append(recorded);
      },
      [state = state_](bool committed, const std::string& error) {
        if (committed) return;
        PARLEY_LOG_ERROR("archive", "", "archive_write_failed", {{"error", error}});
        std::lock_guard lock(state->mutex);
        // A job refused before it ran leaves its entries pending: let the next record retry.
        state->flush_queued = false;
      },
      state_->config.commit_delay});
}

void ArchiveService::query(
    api::ArchiveQuery query,
    std::function<void(model::Expected<api::ArchivePage, model::StanzaError>)> done) {
  using Result = model::Expected<api::ArchivePage, model::StanzaError>;
  if (!state_->config.enabled) {
    // No user archives on this server: as if urn:xmpp:mam:2 were not implemented.
    done(Result::failure(model::StanzaError::make(model::ErrorCondition::service_unavailable)));
    return;
  }
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
