// XEP-0054 vcard-temp: the user's own vCard (get/set) and other accounts' vCards (get).
// The store keeps the serialized <vCard/> element; it is parsed back through the restricted
// parser when requested.
#include <optional>
#include <string>
#include <utility>

#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/features/namespaces.hpp"
#include "adapters/xmpp/features/stored_xml.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/log/log.hpp"

namespace parley::xmpp::features {

namespace {

using model::ErrorCondition;

wire::XmlElement empty_vcard() {
  return wire::XmlElement("vCard", std::string(ns::kVCard));
}

void get_vcard(SessionContext& session, const wire::XmlElement& iq, model::Address owner) {
  api::run_on_store<std::optional<std::string>>(
      session.store(), [owner](api::Stores& stores) { return stores.vcards.get(owner); },
      [post = session.poster(), iq](std::optional<std::optional<std::string>> stored) {
        post([iq, stored = std::move(stored)](SessionContext& s) {
          if (!stored) {
            reply_error(s, iq, ErrorCondition::internal_server_error);
            return;
          }
          // XEP-0054 §3.1: no vCard yet -> an empty <vCard/> (the alternative, item-not-found,
          // makes clients treat a fresh account as an error).
          wire::XmlElement vcard = empty_vcard();
          if (*stored) {
            auto parsed = parse_stored_element(**stored);
            if (parsed && parsed->name() == "vCard" && parsed->xmlns() == ns::kVCard) {
              vcard = std::move(*parsed);
            } else {
              PARLEY_LOG_WARN("xmpp", s.session_id(), "stored_vcard_unreadable");
            }
          }
          wire::XmlElement result = make_result(s, iq);
          result.add_child(std::move(vcard));
          s.send(std::move(result));
        });
      });
}

void set_vcard(SessionContext& session, const wire::XmlElement& iq, const wire::XmlElement& vcard) {
  std::string blob = vcard.serialize();
  if (blob.size() > kMaxStoredElementBytes) {
    reply_error(session, iq, ErrorCondition::not_acceptable, "vCard too large");
    return;
  }
  api::run_on_store<bool>(
      session.store(),
      [user = session.user().bare(), blob = std::move(blob)](api::Stores& stores) {
        stores.vcards.set(user, blob);
        return true;
      },
      [post = session.poster(), iq](std::optional<bool> ok) {
        post([iq, ok](SessionContext& s) {
          if (ok) {
            s.send(make_result(s, iq));
          } else {
            reply_error(s, iq, ErrorCondition::internal_server_error);
          }
        });
      });
}

}  // namespace

IqHandler make_vcard_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const wire::XmlElement* vcard = iq_payload(iq);
    const auto type = iq_type(iq);
    if (vcard == nullptr || vcard->name() != "vCard" || !type || session.user().empty()) {
      reply_error(session, iq, ErrorCondition::bad_request);
      return;
    }
    const IqTarget target = classify_target(session, iq);
    if (*type == IqType::set) {
      // XEP-0054 §3.2: a user publishes only their own vCard.
      if (!is_own_account(target)) {
        reply_target_error(session, iq, target, ErrorCondition::forbidden);
        return;
      }
      set_vcard(session, iq, *vcard);
      return;
    }
    if (is_own_account(target)) {
      get_vcard(session, iq, session.user().bare());
    } else if (target.kind == TargetKind::other_account &&
               session.core().account_exists(target.address)) {
      get_vcard(session, iq, target.address);  // XEP-0054 §3.3
    } else {
      // RFC 6121 §8.5.1: an IQ to a bare address without an account -> service-unavailable
      // (also for the server itself, which has no vCard).
      reply_target_error(session, iq, target);
    }
  };
}

}  // namespace parley::xmpp::features
