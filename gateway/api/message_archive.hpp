#pragma once
// MessageArchive: each user's archive of 1:1 messages (XEP-0313 user archives), kept by the
// core on the message path (one entry per participating account: the sender's and the
// recipient's archive), written through the store executor's group commit.
//
// Threading: thread-safe; results arrive via `done` on a store thread (post to your strand).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mapping/model/address.hpp"
#include "mapping/model/expected.hpp"
#include "mapping/model/message.hpp"
#include "mapping/model/room_model.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::api {

struct ArchivedMessage {
  std::string id;  // the archive id: the message's stanza_id (XEP-0359), stable
  std::shared_ptr<const model::Message> message;  // with its original stamp
};

struct ArchiveQuery {                  // XEP-0313 §4 with XEP-0059 RSM
  model::Address owner;                // bare: whose archive
  std::optional<model::Address> with;  // bare or full: conversations with this entity only
  std::optional<model::Timestamp> start;
  std::optional<model::Timestamp> end;
  std::optional<std::string> after_id;
  std::optional<std::string> before_id;
  std::size_t limit = 50;                                         // capped by the archive
  model::HistoryOrder order = model::HistoryOrder::oldest_first;  // newest_first: RSM <before/>
};

struct ArchivePage {
  std::vector<ArchivedMessage> messages;  // oldest first
  bool complete = true;                   // XEP-0313 §4.3
};

class MessageArchive {
 public:
  virtual ~MessageArchive() = default;
  // Called by the core for every routed chat/normal message with a body (after stanza_id and
  // stamp are set). Archives into the sender's and the recipient's archive if they are local
  // accounts. Never blocks; batched.
  virtual void record(std::shared_ptr<const model::Message> message) = 0;
  // True while the rows waiting for the database are past the high watermark: XMPP sessions
  // stop reading their clients until it clears and SIP MESSAGE is answered 503 (backpressure),
  // so that the archive and compliance's im.message events keep up instead of dropping.
  // Thread-safe, lock-free; polled by readers.
  virtual bool backlogged() const { return false; }
  virtual void query(
      ArchiveQuery query,
      std::function<void(model::Expected<ArchivePage, model::StanzaError>)> done) = 0;
};

}  // namespace parley::api
