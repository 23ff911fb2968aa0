// XEP-0049 private XML storage: one element per (name, namespace) for the user's own account,
// kept as its serialized form under the key "name namespace". XEP-0048 bookmarks go through
// bookmarks.cpp, which keeps them in sync with the followed rooms.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/xmpp/features/bookmarks.hpp"
#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/features/namespaces.hpp"
#include "adapters/xmpp/features/stored_xml.hpp"
#include "gateway/api/store_executor.hpp"
#include "gateway/log/log.hpp"

namespace parley::xmpp::features {

namespace {

using model::ErrorCondition;

// XEP-0049 §2: the stored data must be qualified by a namespace of its own; jabber:client,
// jabber:server and jabber:iq:private itself are reserved.
bool reserved_namespace(std::string_view xmlns) {
  return xmlns.empty() || xmlns == ns::kClient || xmlns == ns::kServer || xmlns == ns::kPrivate;
}

std::string storage_key(const wire::XmlElement& element) {
  std::string key = element.name();
  key += ' ';
  key += element.xmlns();
  return key;
}

void answer_with(SessionContext& session, const wire::XmlElement& iq, wire::XmlElement data) {
  wire::XmlElement result = make_result(session, iq);
  result.add_child("query", std::string(ns::kPrivate)).add_child(std::move(data));
  session.send(std::move(result));
}

void get_private(SessionContext& session, const wire::XmlElement& iq,
                 const wire::XmlElement& requested) {
  // Nothing stored: the requested element comes back empty (XEP-0049 §2.2).
  wire::XmlElement empty(requested.name(), requested.xmlns());
  api::run_on_store<std::optional<std::string>>(
      session.store(),
      [user = session.user().bare(), key = storage_key(requested)](api::Stores& stores) {
        return stores.private_xml.get(user, key);
      },
      [post = session.poster(), iq, empty](std::optional<std::optional<std::string>> stored) {
        post([iq, empty, stored = std::move(stored)](SessionContext& s) {
          if (!stored) {
            reply_error(s, iq, ErrorCondition::internal_server_error);
            return;
          }
          if (*stored) {
            auto parsed = parse_stored_element(**stored);
            if (parsed && parsed->name() == empty.name() && parsed->xmlns() == empty.xmlns()) {
              answer_with(s, iq, std::move(*parsed));
              return;
            }
            PARLEY_LOG_WARN("xmpp", s.session_id(), "stored_private_unreadable");
          }
          answer_with(s, iq, empty);
        });
      });
}

void set_private(SessionContext& session, const wire::XmlElement& iq,
                 const wire::XmlElement& data) {
  std::string blob = data.serialize();
  if (blob.size() > kMaxStoredElementBytes) {
    reply_error(session, iq, ErrorCondition::not_acceptable, "private data too large");
    return;
  }
  api::run_on_store<bool>(
      session.store(),
      [user = session.user().bare(), key = storage_key(data),
       blob = std::move(blob)](api::Stores& stores) {
        stores.private_xml.set(user, key, blob);
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

IqHandler make_private_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const IqTarget target = classify_target(session, iq);
    // XEP-0049 §3: only the user's own storage; anything addressed elsewhere is forbidden.
    if (!is_own_account(target) || session.user().empty()) {
      reply_target_error(session, iq, target, ErrorCondition::forbidden);
      return;
    }
    const wire::XmlElement* query = iq_payload(iq);
    const auto type = iq_type(iq);
    if (query == nullptr || query->name() != "query" || !type) {
      reply_error(session, iq, ErrorCondition::bad_request);
      return;
    }
    // XEP-0049 §2: exactly one child element, in a namespace of its own -> else not-acceptable.
    const auto children = query->element_children();
    if (children.size() != 1 || reserved_namespace(children.front()->xmlns())) {
      reply_error(session, iq, ErrorCondition::not_acceptable);
      return;
    }
    const wire::XmlElement& data = *children.front();
    // XEP-0048 bookmarks mirror the followed-rooms list when we run a MUC service.
    if (data.name() == "storage" && data.xmlns() == ns::kBookmarks &&
        !session.muc_domain().empty()) {
      if (*type == IqType::get) {
        get_bookmarks(session, iq);
      } else {
        set_bookmarks(session, iq, data);
      }
      return;
    }
    if (*type == IqType::get) {
      get_private(session, iq, *children.front());
    } else {
      set_private(session, iq, *children.front());
    }
  };
}

}  // namespace parley::xmpp::features
