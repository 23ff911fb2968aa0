#pragma once
// MucParticipant: one XMPP session's part in the rooms (api::RoomParticipant). The rooms
// service calls deliver() on its own threads; every event is posted onto the session's strand
// (through a retargetable Poster, like SessionEndpoint, so XEP-0198 resumption keeps it) and
// translated there into XEP-0045 stanzas for the session's full JID.
//
// Everything below "strand only" is touched only on the owning session's strand.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "adapters/xmpp/features/session_context.hpp"
#include "adapters/xmpp/muc/muc_registry.hpp"
#include "gateway/api/rooms.hpp"

namespace parley::xmpp::muc {

class MucParticipant final : public api::RoomParticipant,
                             public std::enable_shared_from_this<MucParticipant> {
 public:
  MucParticipant(std::shared_ptr<MucRegistry> registry, SessionContext::Poster poster)
      : registry_(std::move(registry)),
        poster_(std::make_shared<const SessionContext::Poster>(std::move(poster))) {}

  // ---- any thread ----
  void deliver(api::RoomEvent event) override;
  // Runs `work` on the session's strand with this participant (dropped if the session ended).
  void post(std::function<void(SessionContext&, MucParticipant&)> work);
  // XEP-0198: the session that resumed this one.
  void retarget(SessionContext::Poster poster);
  MucRegistry& registry() { return *registry_; }

  // ---- strand only ----
  struct JoinedRoom {
    std::string room_jid;
    std::string nickname;
    std::shared_ptr<const model::Room> room;
    std::map<std::string, api::Occupant> occupants;  // by nickname, self included
  };
  std::map<std::string, JoinedRoom> rooms;     // by room id: completed joins
  std::map<std::string, std::string> joining;  // room id -> nickname: joins in flight

  JoinedRoom* find(const std::string& room_id);
  // The room was left (or we were removed): forget it here and in the registry.
  void forget(const std::string& room_id);
  // A completed join (XEP-0045 §7.2.3, §7.2.15, §7.2.16): occupants, self-presence, history,
  // subject, in that order.
  void on_joined(SessionContext& session, api::JoinResult result, bool created,
                 std::optional<std::size_t> max_chars);
  // A private message (§7.5) from another occupant: 'to' is set here.
  void on_private(SessionContext& session, wire::XmlElement stanza);

 private:
  // The current Poster, shared: a room event per recipient copies a pointer, not the Poster.
  std::shared_ptr<const SessionContext::Poster> current_poster();
  // Runs `task` on the session's strand (dropped when the session has gone).
  void to_strand(std::function<void(SessionContext&)> task);
  void on_event(SessionContext& session, api::RoomEvent& event);
  void handle(SessionContext& session, api::RoomMessagePosted& e);
  void handle(SessionContext& session, api::ParticipantJoined& e);
  void handle(SessionContext& session, api::ParticipantLeft& e);
  void handle(SessionContext& session, api::ParticipantRemoved& e);
  void handle(SessionContext& session, api::ParticipantRoleChanged& e);
  void handle(SessionContext& session, api::TopicChanged& e);
  void handle(SessionContext& session, api::RoomChanged& e);
  void handle(SessionContext& session, api::RoomDeleted& e);
  void handle(SessionContext& session, api::InvitationReceived& e);

  std::shared_ptr<MucRegistry> registry_;
  std::mutex mutex_;
  std::shared_ptr<const SessionContext::Poster> poster_;  // guarded by mutex_; never null
};

}  // namespace parley::xmpp::muc
