// Moderation and administration: muc#admin roles and affiliations (XEP-0045 §8, §9) mapped
// onto the rooms service's roles, kicks and bans; muc#owner configuration (§10.2) through
// XEP-0004 forms, instant rooms (§10.1.2) and destruction (§10.9).
#include "adapters/xmpp/muc/muc_forms.hpp"
#include "adapters/xmpp/muc/muc_namespaces.hpp"
#include "adapters/xmpp/muc/muc_roles.hpp"
#include "adapters/xmpp/muc/muc_util.hpp"

namespace parley::xmpp::muc::detail {
namespace {

using model::ErrorCondition;
using model::StanzaError;
using wire::XmlElement;

// Several items in one request: one answer once all are done (the first error wins).
struct Batch {
  XmlElement iq;
  std::size_t remaining = 0;
  std::optional<StanzaError> error;
};

api::ErrorCallback batch_done(MucParticipant& participant, const std::shared_ptr<Batch>& batch) {
  return [self = participant.shared_from_this(), batch](std::optional<StanzaError> error) {
    self->post([batch, error](SessionContext& s, MucParticipant&) {
      if (error && !batch->error) batch->error = error;
      if (--batch->remaining > 0) return;
      if (batch->error) {
        s.send_error(batch->iq, *batch->error);
      } else {
        s.send(iq_result(batch->iq));
      }
    });
  };
}

using Operation = std::function<void(api::ErrorCallback)>;

// One muc#admin set item as an operation on the rooms service, or the error that rejects it.
model::Expected<Operation, StanzaError> admin_operation(SessionContext& session,
                                                        MucParticipant& participant,
                                                        const XmlElement& item,
                                                        const std::string& room) {
  using Result = model::Expected<Operation, StanzaError>;
  auto reject = [](ErrorCondition condition, std::string text) {
    return Result::failure(StanzaError::make(condition, std::move(text)));
  };
  api::Rooms& rooms = session.rooms();
  const api::RoomActor actor = actor_of(session);
  std::string reason = item.child_text("reason", ns::kMucAdmin);
  const auto* joined = participant.find(room);
  if (auto role = item.attr("role")) {
    // §8: roles address occupants by nickname.
    const std::string nickname = item.attr_or("nick");
    if (nickname.empty()) return reject(ErrorCondition::bad_request, "a role item needs a nick");
    const auto type = joined ? joined->room->type : model::RoomType::normal;
    auto change = change_for_role(*role, type);
    if (!change) return reject(ErrorCondition::not_allowed, "role not available in this room");
    if (change->action == AdminAction::kick) {
      return Operation([&rooms, actor, room, nickname, reason](api::ErrorCallback done) {
        rooms.kick(actor, room, nickname, reason, std::move(done));
      });
    }
    const api::Occupant* occupant = nullptr;
    if (joined) {
      if (auto it = joined->occupants.find(nickname); it != joined->occupants.end()) {
        occupant = &it->second;
      }
    }
    if (!occupant) return reject(ErrorCondition::item_not_found, "no such occupant");
    model::RoomMember member{occupant->user.bare(), change->role};
    return Operation([&rooms, actor, room, member](api::ErrorCallback done) {
      rooms.set_role(actor, room, member, std::move(done));
    });
  }
  if (auto affiliation = item.attr("affiliation")) {
    // §9: affiliations address users by bare JID.
    auto user = model::Address::parse(item.attr_or("jid"));
    if (!user || item.attr_or("jid").empty()) {
      return reject(ErrorCondition::jid_malformed, "an affiliation item needs a jid");
    }
    auto change = change_for_affiliation(*affiliation);
    if (!change) return reject(ErrorCondition::bad_request, "unknown affiliation");
    const model::Address bare = user->bare();
    if (change->action == AdminAction::ban) {
      return Operation([&rooms, actor, room, bare, reason](api::ErrorCallback done) {
        rooms.ban(actor, room, bare, reason, std::move(done));
      });
    }
    model::RoomMember member{bare, change->role};
    return Operation([&rooms, actor, room, member](api::ErrorCallback done) {
      rooms.set_role(actor, room, member, std::move(done));
    });
  }
  return reject(ErrorCondition::bad_request, "an item needs a role or an affiliation");
}

void admin_set(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
               const XmlElement& query, const std::string& room) {
  const auto items = query.children("item", ns::kMucAdmin);
  if (items.empty()) return send_error(session, iq, ErrorCondition::bad_request, "no item");
  std::vector<Operation> operations;
  for (const auto* item : items) {
    auto operation = admin_operation(session, participant, *item, room);
    if (!operation) return session.send_error(iq, operation.error());
    operations.push_back(std::move(operation).value());
  }
  auto batch = std::make_shared<Batch>(Batch{iq, operations.size(), std::nullopt});
  for (auto& operation : operations) operation(batch_done(participant, batch));
}

void admin_get(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
               const XmlElement& query, const std::string& room) {
  const auto* item = query.child("item", ns::kMucAdmin);
  if (!item) return send_error(session, iq, ErrorCondition::bad_request, "no item");
  if (auto role = item->attr("role")) {
    // §8.5 / §8.8: occupants with that role; we know them as an occupant.
    const auto* joined = participant.find(room);
    if (!joined) return send_error(session, iq, ErrorCondition::forbidden, "not an occupant");
    XmlElement result = iq_result_query(iq, ns::kMucAdmin);
    auto& list = *result.child("query");
    for (const auto& [nickname, occupant] : joined->occupants) {
      const auto position = muc_position(occupant.role, joined->room->type);
      if (position.role != *role) continue;
      list.add_child("item")
          .set_attr("nick", nickname)
          .set_attr("role", std::string(position.role))
          .set_attr("affiliation", std::string(position.affiliation))
          .set_attr("jid", occupant.user.bare_string());
    }
    session.send(std::move(result));
    return;
  }
  // §9.5 / §10.5: users with an affiliation (bans are not listed: outcast lists come back empty).
  const std::string affiliation = item->attr_or("affiliation");
  session.rooms().members(
      actor_of(session), room,
      [self = participant.shared_from_this(), iq,
       affiliation](api::RoomsResult<std::vector<model::RoomMember>> members) {
        self->post([iq, affiliation, members](SessionContext& s, MucParticipant&) {
          if (!members) return s.send_error(iq, members.error());
          XmlElement result = iq_result_query(iq, ns::kMucAdmin);
          auto& list = *result.child("query");
          for (const auto& member : members.value()) {
            if (!affiliation_matches(affiliation, member.role)) continue;
            list.add_child("item")
                .set_attr("affiliation", affiliation)
                .set_attr("jid", member.user.bare_string());
          }
          s.send(std::move(result));
        });
      });
}

// The room as a manager sees it (forbidden for anyone else), then `next` on the strand.
void with_managed_room(
    SessionContext& session, MucParticipant& participant, const XmlElement& iq,
    const std::string& room,
    std::function<void(SessionContext&, MucParticipant&, const model::Room&)> next) {
  session.rooms().room_info(
      actor_of(session), room,
      [self = participant.shared_from_this(), iq, next](api::RoomsResult<api::RoomInfo> info) {
        self->post([iq, next, info](SessionContext& s, MucParticipant& p) {
          if (!info) return s.send_error(iq, info.error());
          if (info->your_role != model::RoomRole::manager) {
            return send_error(s, iq, ErrorCondition::forbidden, "only managers configure");
          }
          next(s, p, *info->room);
        });
      });
}

void owner_get(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
               const std::string& room) {
  with_managed_room(session, participant, iq, room,
                    [iq](SessionContext& s, MucParticipant& p, const model::Room& current) {
                      s.rooms().categories([self = p.shared_from_this(), iq,
                                            current](std::vector<model::Category> categories) {
                        self->post([iq, current, categories](SessionContext& out, MucParticipant&) {
                          XmlElement result = iq_result_query(iq, ns::kMucOwner);
                          result.child("query")->add_child(room_config_form(current, categories));
                          out.send(std::move(result));
                        });
                      });
                    });
}

void owner_submit(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
                  const XmlElement& form, const std::string& room) {
  with_managed_room(
      session, participant, iq, room,
      [iq, form, room](SessionContext& s, MucParticipant& p, const model::Room& current) {
        auto changes = settings_from_config_form(form, current);
        if (!changes) return s.send_error(iq, changes.error());
        s.rooms().modify_room(actor_of(s), room, std::move(changes).value(),
                              [self = p.shared_from_this(),
                               iq](api::RoomsResult<std::shared_ptr<const model::Room>> modified) {
                                self->post([iq, modified](SessionContext& out, MucParticipant&) {
                                  if (!modified) return out.send_error(iq, modified.error());
                                  out.send(iq_result(iq));
                                });
                              });
      });
}

}  // namespace

void room_admin(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
                const std::string& room) {
  const auto& query = *iq.element_children().front();
  if (iq.attr_or("type") == "set") return admin_set(session, participant, iq, query, room);
  admin_get(session, participant, iq, query, room);
}

void room_owner(SessionContext& session, MucParticipant& participant, const XmlElement& iq,
                const std::string& room) {
  const auto& query = *iq.element_children().front();
  if (iq.attr_or("type") == "get") return owner_get(session, participant, iq, room);
  if (const auto* destroy = query.child("destroy", ns::kMucOwner)) {
    // §10.9: the occupants learn it through RoomDeleted.
    session.rooms().delete_room(
        actor_of(session), room, destroy->child_text("reason", ns::kMucOwner),
        reply_on_error(participant, iq, [iq](SessionContext& s) { s.send(iq_result(iq)); }));
    return;
  }
  const auto* form = query.child("x", ns::kData);
  const bool empty_form =
      form && form->children("field", ns::kData).size() <= (form_has(*form, "FORM_TYPE") ? 1u : 0u);
  if (!form || form->attr_or("type") == "cancel" || empty_form) {
    // §10.1.2 instant room / §10.1.3 cancel: the room is usable as it is; only managers.
    with_managed_room(
        session, participant, iq, room,
        [iq](SessionContext& s, MucParticipant&, const model::Room&) { s.send(iq_result(iq)); });
    return;
  }
  if (form->attr_or("type") != "submit") {
    return send_error(session, iq, ErrorCondition::bad_request, "submit the form");
  }
  owner_submit(session, participant, iq, *form, room);
}

}  // namespace parley::xmpp::muc::detail
