#pragma once
// Compliance: a durable, exactly-recorded trail of room and IM activity (seed 000's compliance
// service). An event is written to the outbox table in the SAME store transaction as the action
// it records (the services call ComplianceOutbox::append from inside the store job that performs
// the action), so after any crash either both exist or neither. A worker exports the outbox in
// order to the configured exporters and deletes events only after every exporter confirmed
// them. Delivery to an exporter is at-least-once; the event id is the idempotency key.
//
// Threading: ComplianceOutbox is a store-thread object like the other stores (no locking, only
// called from inside store jobs). ComplianceSettings is immutable after start and may be read
// from any thread.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/model/address.hpp"
#include "mapping/model/message.hpp"
#include "mapping/model/payload.hpp"

namespace parley::api {

// What can be recorded. The wire names (kind_name) are part of the export formats
// (docs/compliance.md): never rename one.
enum class ComplianceEventKind : std::uint8_t {
  room_join,      // "room.join"
  room_leave,     // "room.leave"
  room_post,      // "room.post"      content: the body
  room_read,      // "room.read"      a history/context fetch; details: count, range
  topic_change,   // "room.topic"     content: the new topic
  invitation,     // "room.invite"    peer: the invitee; content: the reason
  room_create,    // "room.create"    details: the settings
  room_modify,    // "room.modify"    details: the changed settings
  room_delete,    // "room.delete"    content: the reason
  role_change,    // "room.role"      peer: the member; details: role (also kick/ban/unban)
  file_upload,    // "file.upload"    (when files exist)
  file_download,  // "file.download"
  message,        // "im.message"     1:1, optional; peer: the recipient; content: the body
  subscription,   // "im.subscription" optional; peer: the contact; details: type
};
inline constexpr std::size_t kComplianceEventKinds = 14;

// A stable dotted name per kind ("room.post"), and back (nullopt for an unknown name).
std::string_view kind_name(ComplianceEventKind kind);
std::optional<ComplianceEventKind> kind_from_name(std::string_view name);

struct ComplianceActor {
  model::Address account;  // canonical bare address of the account
  model::Protocol protocol = model::Protocol::xmpp;
  std::string endpoint;  // the full address / session the action came from; empty: admin/server
  friend bool operator==(const ComplianceActor&, const ComplianceActor&) = default;
};

struct ComplianceEvent {
  std::string id;  // unique (see new_compliance_id); the exporters' idempotency key
  model::Timestamp time{};
  ComplianceEventKind kind = ComplianceEventKind::room_post;
  ComplianceActor actor;
  std::string room;        // room id, empty for 1:1 events
  model::Address peer;     // the other party (recipient, invitee, member), may be empty
  std::string content;     // body / topic / reason
  std::string message_id;  // the id of the recorded object (room message id, stanza id), if any
  std::vector<std::pair<std::string, std::string>> details;  // kind-specific, ordered
  friend bool operator==(const ComplianceEvent&, const ComplianceEvent&) = default;
};

// A fresh unique event id (128 random bits, hex). Thread-safe.
std::string new_compliance_id();

// Which events are recorded. Read by the services before they build an event (a disabled kind
// costs one array lookup on the message path).
struct ComplianceSettings {
  bool enabled = false;
  std::array<bool, kComplianceEventKinds> kinds{};  // indexed by the enum value
  bool records(ComplianceEventKind kind) const {
    return enabled && kinds[static_cast<std::size_t>(kind)];
  }
};

// The outbox, on the store thread. append() inside the job that performs the action: it joins
// that job's savepoint, so a failed action rolls its event back with it.
class ComplianceOutbox {
 public:
  virtual ~ComplianceOutbox() = default;
  virtual void append(const ComplianceEvent& event) = 0;
};

// What a service holds: the settings and the outbox (the outbox may only be used from store
// jobs). A default-constructed recorder records nothing.
struct ComplianceRecorder {
  ComplianceSettings settings;
  ComplianceOutbox* outbox = nullptr;
  bool records(ComplianceEventKind kind) const {
    return outbox != nullptr && settings.records(kind);
  }
};

}  // namespace parley::api
