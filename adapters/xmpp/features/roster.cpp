// RFC 6121 §2 roster management with XEP-0237 / RFC 6121 §2.6 versioning. The roster itself
// lives in the core (stored items plus shared department groups); this handler only translates.
#include <optional>
#include <string>
#include <utility>

#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"
#include "mapping/xmpp/roster_codec.hpp"

namespace parley::xmpp::features {

namespace {

void handle_get(SessionContext& session, const wire::XmlElement& iq,
                const wire::XmlElement& query) {
  // RFC 6121 §2.1.6: a resource that requested the roster is an "interested resource" and
  // receives roster pushes from now on.
  auto flags = session.flags();
  if (!flags.roster_interested) {
    flags.roster_interested = true;
    session.set_flags(flags);
  }
  std::optional<std::string> client_version;
  if (const auto ver = query.attr("ver")) client_version = std::string(*ver);

  session.core().roster_get(
      session.user(), [post = session.poster(), iq, client_version](api::RosterSnapshot snapshot) {
        post([iq, client_version, snapshot = std::move(snapshot)](SessionContext& s) {
          const std::string version = std::to_string(snapshot.version);
          // RFC 6121 §2.6.3: the cached roster is current -> an empty result, no items.
          if (client_version && *client_version == version) {
            s.send(make_result(s, iq));
            return;
          }
          wire::XmlElement result = make_result(s, iq);
          result.add_child(mapping::xmpp::roster_result_to_xml(snapshot.items, snapshot.version));
          s.send(std::move(result));
        });
      });
}

void handle_set(SessionContext& session, const wire::XmlElement& iq,
                const wire::XmlElement& query) {
  // RFC 6121 §2.3.3 validation (one item, valid bare jid, sane groups) is the codec's.
  auto request = mapping::xmpp::roster_set_from_query(query);
  if (!request) {
    session.send_error(iq, request.error());
    return;
  }
  // The core validates, stores and pushes the change to every interested resource
  // (RFC 6121 §2.3.2 / §2.5.2); we only answer the request.
  api::ErrorCallback done = [post = session.poster(), iq](std::optional<model::StanzaError> error) {
    post([iq, error = std::move(error)](SessionContext& s) {
      if (error) {
        s.send_error(iq, *error);
      } else {
        s.send(make_result(s, iq));
      }
    });
  };
  if (request->remove) {
    session.core().roster_remove(session.user(), request->item.jid, std::move(done));
  } else {
    session.core().roster_set(session.user(), std::move(request).value().item, std::move(done));
  }
}

}  // namespace

IqHandler make_roster_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const IqTarget target = classify_target(session, iq);
    // RFC 6121 §2.3.3 / §2.1.5: only the account's own resources may read or change its roster.
    if (!is_own_account(target) || session.user().empty()) {
      reply_target_error(session, iq, target, model::ErrorCondition::forbidden);
      return;
    }
    const wire::XmlElement* query = iq_payload(iq);
    const auto type = iq_type(iq);
    if (query == nullptr || query->name() != "query" || !type) {
      reply_error(session, iq, model::ErrorCondition::bad_request);
      return;
    }
    if (*type == IqType::get) {
      handle_get(session, iq, *query);
    } else {
      handle_set(session, iq, *query);
    }
  };
}

}  // namespace parley::xmpp::features
