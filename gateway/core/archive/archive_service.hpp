#pragma once
// ArchiveService: api::MessageArchive on an api::ArchiveStore reached through the store
// executor. record() never blocks: entries wait in a bounded in-memory batch and one store job
// at a time drains whatever has accumulated (group commit on top of the executor's own);
// from max_pending / 2 it reports backlogged(): XMPP sessions stop reading their clients and
// SIP MESSAGE is answered 503 until the store took the batch (backpressure: the senders slow
// down to what the database writes); past max_pending, which that leaves as headroom, the entries
// are dropped and counted (the message path never waits inside record()). query() reads after every
// record() made before it (jobs run in submission order).
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
  // From max_pending / 2 rows waiting (events when the archive is off) until the next store
  // job takes them. The space between that and max_pending absorbs what readers already had
  // in hand when it turned true; only past max_pending are rows dropped.
  bool backlogged() const override;
  void query(
      api::ArchiveQuery query,
      std::function<void(model::Expected<api::ArchivePage, model::StanzaError>)> done) override;

  std::uint64_t dropped() const;  // entries refused because max_pending was reached

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace parley::core
