#pragma once
// Settings of the XEP-0313 user archives (the "archive" section of parley.jsonc, filled by
// config/). Room archives belong to the rooms and are kept whatever these say.
#include <chrono>
#include <cstddef>

namespace parley::core {

struct ArchiveConfig {
  // false: 1:1 messages are not archived and urn:xmpp:mam:2 is neither advertised on accounts
  // nor answered (service-unavailable), like a server without the module. Compliance still
  // records im.message events when it is told to: the outbox does not depend on the archive.
  bool enabled = true;
  std::size_t max_page = 100;       // XEP-0313 §4.3: the server caps the page size
  std::size_t max_pending = 20000;  // entries waiting for the store before dropping
  // How long new entries may wait for more to share their transaction (group commit: one
  // commit then writes each touched index page once for thousands of rows). A MAM query
  // does not wait: it commits whatever is pending before it reads.
  std::chrono::milliseconds commit_delay{100};
};

}  // namespace parley::core
