#pragma once
// Rooms: the protocol-neutral persistent rooms service (seed 000 persistent chat) that every
// adapter presents - XMPP MUC (XEP-0045) with MAM (XEP-0313/XEP-0059) and bookmarks, the SIP
// XCCOS commands (getassociations, bjoin, join, bccontext, getinv, chansrch, grpchat) and the
// WebSocket JSON face. Implemented once in gateway/core/rooms.
//
// Threading: every method is thread-safe and returns without waiting for I/O. Results arrive
// through `done`, called exactly once on a core or store thread: post it to your strand.
// Ordering: for one room, the events a participant receives through deliver() and the `done`
// of its own join are issued in room order (join result first, then live events): a session
// must post both onto the same strand in call order (Endpoint-style post does exactly that).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gateway/api/core.hpp"
#include "mapping/model/expected.hpp"
#include "mapping/model/payload.hpp"
#include "mapping/model/room_model.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::api {

// Where a request came from, for the compliance trail (issue 6, gateway/api/compliance.hpp):
// the protocol and the endpoint (the full address or session). Empty endpoint: unknown, or the
// administration paths.
struct RequestSource {
  model::Protocol protocol = model::Protocol::xmpp;
  std::string endpoint{};
};

// Who asks. `admin` is set only by the administration paths (parleyctl, the room-management
// API); it bypasses the room policy. Adapters always pass admin = false.
struct RoomActor {
  model::Address user;  // bare (a full address is reduced to its bare form)
  bool admin = false;
  RequestSource source{};
};

// One nickname present in a room. Several sessions of the same user may share it
// (XEP-0045 §7.2.10, multi-session nicks); they appear as one occupant.
struct Occupant {
  std::string nickname;
  model::Address user;                           // bare
  model::RoomRole role = model::RoomRole::none;  // the user's role in the room at the time
  friend bool operator==(const Occupant&, const Occupant&) = default;
};

// ---- events delivered to participants ----

struct RoomMessagePosted {  // one object shared by every recipient (fan-out without copies)
  std::shared_ptr<const model::RoomMessage> message;
};
struct ParticipantJoined {  // someone else joined (your own join completes through `done`)
  std::string room;
  Occupant occupant;
};
struct ParticipantLeft {  // the occupant's last session left
  std::string room;
  Occupant occupant;
};
// Why an occupant was removed (XEP-0045 §9.2 status 301, §8.2 307, §9.5 321/322, §10.9 332).
enum class RemovalCause { kicked, banned, access_revoked, room_deleted };
struct ParticipantRemoved {  // also delivered to the removed occupant's own sessions, last
  std::string room;
  Occupant occupant;
  RemovalCause cause = RemovalCause::kicked;
  model::Address by;  // bare; empty when the server did it
  std::string reason;
};
struct ParticipantRoleChanged {
  std::string room;
  model::Address user;   // bare
  std::string nickname;  // empty when the user is not present
  model::RoomRole role = model::RoomRole::none;
};
struct TopicChanged {  // XEP-0045 §8.1 subject change
  std::string room;
  std::string topic;
  model::Address by;
  std::string by_nickname;  // empty when set by someone not present
};
struct RoomChanged {  // room settings changed (XEP-0045 §10.2 status 104)
  std::shared_ptr<const model::Room> room;
};
struct RoomDeleted {  // XEP-0045 §10.9 destroy; the participant is no longer in the room
  std::string room;
  std::string reason;
};
struct InvitationReceived {  // to watchers of the invitee (see Rooms::watch)
  model::Invitation invitation;
};

using RoomEvent = std::variant<RoomMessagePosted, ParticipantJoined, ParticipantLeft,
                               ParticipantRemoved, ParticipantRoleChanged, TopicChanged,
                               RoomChanged, RoomDeleted, InvitationReceived>;

// A session (or any consumer) taking part in rooms. Like Endpoint::deliver it must only
// enqueue onto the session's bounded outbox on its own strand and return; never block, never
// call back into Rooms synchronously expecting a result.
class RoomParticipant {
 public:
  virtual ~RoomParticipant() = default;
  virtual void deliver(RoomEvent event) = 0;
};

// ---- requests and results ----

struct HistoryRequest {  // XEP-0045 §7.2.15 (maxchars is the adapter's business)
  std::optional<std::size_t> max_messages;  // nullopt: the service default; 0: none
  std::optional<model::Timestamp> since;
};

struct JoinRequest {
  std::string room;     // room id
  model::Address user;  // bare or full; the bare form is the identity
  std::string nickname;
  std::shared_ptr<RoomParticipant> participant;  // held until leave/removal
  HistoryRequest history;
  RequestSource source{};  // endpoint empty: `user` as given
};

struct JoinResult {
  std::shared_ptr<const model::Room> room;  // topic included
  Occupant self;
  std::vector<Occupant> occupants;  // everyone present, self included, sorted by nickname
  std::vector<std::shared_ptr<const model::RoomMessage>> history;  // oldest first
};

struct PostRequest {  // XEP-0045 §7.4 groupchat message; XCCOS grpchat
  std::string room;
  const RoomParticipant* participant = nullptr;  // must have joined `room`
  std::string body;
  std::string origin_id;
  std::vector<model::ForeignPayload> extensions;
  RequestSource source{};
};

struct RoomSettings {             // create (all fields) and modify (the set fields)
  std::optional<std::string> id;  // create only; nullopt: derived from the name
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> topic;
  std::optional<std::vector<std::string>> keywords;
  std::optional<std::string> category;
  std::optional<model::RoomType> type;
  std::optional<model::RoomPrivacy> privacy;
};

struct RoomInfo {  // XEP-0045 §6.4 disco#info, XCCOS channel info
  std::shared_ptr<const model::Room> room;
  model::RoomRole your_role = model::RoomRole::none;
  std::size_t occupants = 0;
};

struct HistoryQuery {  // XEP-0313 §4 with XEP-0059 RSM; ids are RoomMessage::id strings
  std::string room;
  std::optional<std::string> after_id;
  std::optional<std::string> before_id;
  std::optional<model::Timestamp> since;
  std::optional<model::Timestamp> until;
  std::size_t limit = 50;                                         // capped by the service
  model::HistoryOrder order = model::HistoryOrder::oldest_first;  // newest_first: <before/>
};

struct HistoryPage {
  std::vector<std::shared_ptr<const model::RoomMessage>> messages;  // oldest first
  bool complete = true;  // XEP-0313 §4.3 'complete': nothing further in the paging direction
};

struct MessageSearch {
  std::string text;                      // plain words, all must match (no query syntax)
  std::optional<std::string> room;       // nullopt: every room the actor may read
  std::optional<std::string> before_id;  // paging, newest first
  std::size_t limit = 50;
};

struct RoomSearch {  // XCCOS chansrch, disco#items
  std::string text;  // substring of name, description or keywords; empty: all visible
  std::optional<std::string> category;
  std::size_t limit = 100;
};

struct FollowedRoom {  // XCCOS bjoin list and new-content counts
  std::shared_ptr<const model::Room> room;
  std::optional<std::string> last_read_id;
  std::uint64_t unread = 0;
};

struct Association {  // XCCOS getassociations
  std::shared_ptr<const model::Room> room;
  model::RoomRole role = model::RoomRole::none;
};

template <class T>
using RoomsResult = model::Expected<T, model::StanzaError>;
template <class T>
using RoomsCallback = std::function<void(RoomsResult<T>)>;

class Rooms {
 public:
  virtual ~Rooms() = default;

  // ---- presence in rooms ----
  // XEP-0045 §7.2. Errors: item-not-found (no such room, or secret and not a member),
  // registration-required (closed room, not a member), forbidden (banned), conflict (nickname
  // used by another user), not-acceptable (bad nickname), resource-constraint (room full).
  // Joining again with the same participant and nickname returns the state again.
  virtual void join(JoinRequest request, RoomsCallback<JoinResult> done) = 0;
  // Leaves one session; others learn ParticipantLeft when the occupant's last session left.
  // Unknown participants are ignored (a leave racing a kick).
  virtual void leave(const std::string& room, const RoomParticipant* participant) = 0;
  // Every room this participant is in (session end).
  virtual void leave_all(const RoomParticipant* participant) = 0;

  // XEP-0045 §7.4 / XCCOS grpchat: authorize, assign id and stamp, persist, then fan out one
  // shared RoomMessagePosted to every participant (the sender included) after COMMIT.
  // Errors: not-acceptable (not joined), forbidden (auditorium and not a presenter/manager),
  // resource-constraint (too many posts pending in the room), internal-server-error (store).
  virtual void post(PostRequest request,
                    RoomsCallback<std::shared_ptr<const model::RoomMessage>> done) = 0;
  virtual void set_topic(const RoomActor& actor, const std::string& room, std::string topic,
                         ErrorCallback done) = 0;

  // ---- rooms ----
  virtual void create_room(const RoomActor& actor, RoomSettings settings,
                           RoomsCallback<std::shared_ptr<const model::Room>> done) = 0;
  virtual void modify_room(const RoomActor& actor, const std::string& room, RoomSettings changes,
                           RoomsCallback<std::shared_ptr<const model::Room>> done) = 0;
  virtual void delete_room(const RoomActor& actor, const std::string& room, std::string reason,
                           ErrorCallback done) = 0;
  virtual void room_info(const RoomActor& actor, const std::string& room,
                         RoomsCallback<RoomInfo> done) = 0;
  virtual void search_rooms(
      const RoomActor& actor, RoomSearch query,
      RoomsCallback<std::vector<std::shared_ptr<const model::Room>>> done) = 0;
  virtual void categories(std::function<void(std::vector<model::Category>)> done) = 0;

  // ---- roles, kicks and bans (managers) ----
  virtual void set_role(const RoomActor& actor, const std::string& room, model::RoomMember member,
                        ErrorCallback done) = 0;
  virtual void members(const RoomActor& actor, const std::string& room,
                       RoomsCallback<std::vector<model::RoomMember>> done) = 0;
  virtual void associations(const model::Address& user,
                            std::function<void(std::vector<Association>)> done) = 0;
  virtual void kick(const RoomActor& actor, const std::string& room, const std::string& nickname,
                    std::string reason, ErrorCallback done) = 0;
  virtual void ban(const RoomActor& actor, const std::string& room, const model::Address& user,
                   std::string reason, ErrorCallback done) = 0;
  virtual void unban(const RoomActor& actor, const std::string& room, const model::Address& user,
                     ErrorCallback done) = 0;

  // ---- archive (XEP-0313, XCCOS bccontext) and search ----
  virtual void history(const RoomActor& actor, HistoryQuery query,
                       RoomsCallback<HistoryPage> done) = 0;
  virtual void search_messages(
      const RoomActor& actor, MessageSearch query,
      RoomsCallback<std::vector<std::shared_ptr<const model::RoomMessage>>> done) = 0;

  // ---- invitations (XEP-0045 §7.8.2 mediated, XCCOS getinv) ----
  // Managers invite (if the category allows invitations: not-allowed otherwise). In closed and
  // secret rooms the invitee becomes a member. Watchers of the invitee get InvitationReceived.
  virtual void invite(const RoomActor& actor, const std::string& room, const model::Address& to,
                      std::string reason, ErrorCallback done) = 0;
  virtual void invitations(const model::Address& user, bool unseen_only,
                           std::function<void(std::vector<model::Invitation>)> done) = 0;
  virtual void mark_invitations_seen(const model::Address& user, const std::string& room,
                                     ErrorCallback done) = 0;  // room empty: all

  // ---- followed rooms and unread counts (server-side list, XCCOS bjoin) ----
  virtual void follow(const RoomActor& actor, const std::string& room, ErrorCallback done) = 0;
  virtual void unfollow(const RoomActor& actor, const std::string& room, ErrorCallback done) = 0;
  virtual void followed(const model::Address& user,
                        std::function<void(std::vector<FollowedRoom>)> done) = 0;
  virtual void mark_read(const RoomActor& actor, const std::string& room,
                         const std::string& message_id, ErrorCallback done) = 0;

  // ---- user-level notifications ----
  // A session that wants events not tied to a joined room (InvitationReceived) registers
  // here; the service keeps a weak reference. unwatch() at session end.
  virtual void watch(const model::Address& user, std::weak_ptr<RoomParticipant> watcher) = 0;
  virtual void unwatch(const model::Address& user, const RoomParticipant* watcher) = 0;
};

}  // namespace parley::api
