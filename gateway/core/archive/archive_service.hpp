#pragma once
// ArchiveService: api::MessageArchive on an api::ArchiveStore reached through the store
// executor. record() never blocks: entries wait in a bounded in-memory batch and one store job
// at a time drains whatever has accumulated (group commit on top of the executor's own);
// past max_pending the entries are dropped and counted (the disk cannot keep up, and the
// message path must not wait for it). query() reads after every record() made before it
// (jobs run in submission order).
//
// Lifetime: queued jobs keep the shared state alive, so the service may be destroyed before
// they ran; the ArchiveStoreExecutor (and the store behind it) must outlive the jobs.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "gateway/api/archive_store.hpp"
#include "gateway/api/compliance.hpp"
#include "gateway/api/message_archive.hpp"
#include "gateway/core/archive/archive_config.hpp"

namespace parley::core {

// Which archives a message goes to (XEP-0313 §5.1.1): the sender's (outgoing, with = 'to')
// and the recipient's (incoming, with = 'from'); one entry for a message to oneself.
std::vector<api::ArchiveEntry> archive_entries(std::shared_ptr<const model::Message> message);

class ArchiveService final : public api::MessageArchive {
 public:
  // `compliance` (issue 6): when it records im.message, each recorded message's event is
  // appended in the same store job as its archive rows (both or neither after a crash).
  explicit ArchiveService(api::ArchiveStoreExecutor& store, ArchiveConfig config = {},
                          api::ComplianceRecorder compliance = {});
  ~ArchiveService() override;
  ArchiveService(const ArchiveService&) = delete;
  ArchiveService& operator=(const ArchiveService&) = delete;

  void record(std::shared_ptr<const model::Message> message) override;
  void query(
      api::ArchiveQuery query,
      std::function<void(model::Expected<api::ArchivePage, model::StanzaError>)> done) override;

  std::uint64_t dropped() const;  // entries refused because max_pending was reached

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace parley::core
