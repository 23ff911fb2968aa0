#include "adapters/xmpp/muc/muc_util.hpp"

#include "adapters/xmpp/muc/muc_namespaces.hpp"

namespace parley::xmpp::muc::detail {

wire::XmlElement iq_result(const wire::XmlElement& iq) {
  wire::XmlElement result("iq", std::string(ns::kClient));
  result.set_attr("type", "result");
  result.set_attr("id", iq.attr_or("id"));
  if (auto to = iq.attr("to")) result.set_attr("from", std::string(*to));
  if (auto from = iq.attr("from")) result.set_attr("to", std::string(*from));
  return result;
}

wire::XmlElement iq_result_query(const wire::XmlElement& iq, std::string_view ns) {
  wire::XmlElement result = iq_result(iq);
  result.add_child("query", std::string(ns));
  return result;
}

void send_error(SessionContext& session, const wire::XmlElement& stanza,
                model::ErrorCondition condition, std::string text) {
  session.send_error(stanza, model::StanzaError::make(condition, std::move(text)));
}

api::ErrorCallback reply_on_error(MucParticipant& participant, wire::XmlElement stanza,
                                  std::function<void(SessionContext&)> on_success) {
  return [self = participant.shared_from_this(), stanza = std::move(stanza),
          on_success = std::move(on_success)](std::optional<model::StanzaError> error) {
    self->post([stanza, error, on_success](SessionContext& s, MucParticipant&) {
      if (error) {
        s.send_error(stanza, *error);
      } else if (on_success) {
        on_success(s);
      }
    });
  };
}

}  // namespace parley::xmpp::muc::detail
