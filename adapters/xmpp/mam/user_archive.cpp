// XEP-0313 user archives: an <iq/> in urn:xmpp:mam:2 to the user's own account. get: the query
// form (§4.1.1); set: one page of the archive as forwarded result messages, then the <fin/>
// IQ result (§4.2, §4.3).
#include <utility>

#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/mam/mam_codec.hpp"
#include "adapters/xmpp/mam/mam_handlers.hpp"
#include "mapping/xmpp/message_codec.hpp"

namespace parley::xmpp::mam {
namespace {

using features::IqType;
using model::ErrorCondition;

void send_page(SessionContext& session, const wire::XmlElement& iq, const std::string& query_id,
               const api::ArchivePage& page) {
  const model::Address to = session.full_address();
  for (const auto& archived : page.messages) {
    model::Message inner = *archived.message;
    // The archive id stands in the <result/>; the forwarded copy is the message as sent (its
    // delay is the outer <delay/>).
    inner.stanza_id.clear();
    inner.delayed = false;
    session.send(result_message(to, {}, query_id, archived.id, archived.message->stamp,
                                mapping::xmpp::message_to_xml(inner)));
  }
  wire::XmlElement result = features::make_result(session, iq);
  result.add_child(fin(page.complete,
                       page.messages.empty() ? std::string() : page.messages.front().id,
                       page.messages.empty() ? std::string() : page.messages.back().id));
  session.send(std::move(result));
}

}  // namespace

IqHandler make_user_archive_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const features::IqTarget target = features::classify_target(session, iq);
    // XEP-0313 §4: a user queries only their own archive.
    if (!features::is_own_account(target) || session.user().empty()) {
      features::reply_target_error(session, iq, target, ErrorCondition::forbidden);
      return;
    }
    const wire::XmlElement* query = features::iq_payload(iq);
    const auto type = features::iq_type(iq);
    if (query == nullptr || query->name() != "query" || !type) {
      features::reply_error(session, iq, ErrorCondition::bad_request);
      return;
    }
    if (*type == IqType::get) {
      wire::XmlElement result = features::make_result(session, iq);
      result.add_child(query_form());
      session.send(std::move(result));
      return;
    }
    auto request = parse_query(*query);
    if (!request) {
      session.send_error(iq, request.error());
      return;
    }
    api::ArchiveQuery archive_query;
    archive_query.owner = session.user().bare();
    archive_query.with = request->with;
    archive_query.start = request->start;
    archive_query.end = request->end;
    archive_query.after_id = request->after_id;
    archive_query.before_id = request->before_id;
    archive_query.limit = request->max;
    archive_query.order = request->order;
    session.archive().query(
        std::move(archive_query),
        [post = session.poster(), iq, query_id = request->query_id](
            model::Expected<api::ArchivePage, model::StanzaError> page) mutable {
          post([iq = std::move(iq), query_id = std::move(query_id),
                page = std::move(page)](SessionContext& s) {
            if (!page) {
              s.send_error(iq, page.error());
              return;
            }
            send_page(s, iq, query_id, *page);
          });
        });
  };
}

}  // namespace parley::xmpp::mam
