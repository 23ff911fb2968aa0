// XmppSession, part 3: stanzas from the client into the core (RFC 6120 §8, §10; RFC 6121 §8).
#include <algorithm>

#include "adapters/xmpp/muc/muc_component.hpp"
#include "adapters/xmpp/server_context.hpp"
#include "adapters/xmpp/stream_elements.hpp"
#include "adapters/xmpp/xmpp_session.hpp"
#include "gateway/log/log.hpp"
#include "mapping/xmpp/error_codec.hpp"
#include "mapping/xmpp/message_codec.hpp"
#include "mapping/xmpp/presence_codec.hpp"

namespace parley::xmpp {

namespace {

using model::ErrorCondition;
using model::StanzaError;

bool is_request(std::string_view type) {
  return type == "get" || type == "set";
}

}  // namespace

void XmppSession::send(wire::XmlElement stanza) {
  send_stanza(std::move(stanza), nullptr);
}

void XmppSession::send_error(const wire::XmlElement& request, const model::StanzaError& error) {
  if (!mapping::xmpp::may_reply_with_error(request)) return;  // RFC 6120 §8.3.1
  send(mapping::xmpp::make_error_reply(request, error));
}

void XmppSession::on_stanza(wire::XmlElement&& stanza) {
  if (stage_ == Stage::unauthenticated) {
    // Only the XEP-0077 registration IQ may come before SASL (and only where offered).
    const auto& config = server_->config;
    const bool registration_allowed =
        config.registration_enabled && (tls_active_ || !config.require_starttls);
    if (registration_allowed && stanza.name() == "iq") {
      const auto children = stanza.element_children();
      if (children.size() == 1) {
        const auto& handlers = server_->features.pre_auth_iq_handlers;
        if (auto it = handlers.find(children.front()->xmlns()); it != handlers.end()) {
          if (is_request(stanza.attr_or("type"))) it->second(*this, stanza);
          return;
        }
      }
    }
    close_stream(StreamError::not_authorized);  // RFC 6120 §6.4.1 / §4.9.3.12
    return;
  }
  if (stage_ == Stage::authenticated) {
    on_pre_bind_iq(stanza);
    return;
  }
  // XEP-0198 §4: every stanza received after <enable/> counts, whatever becomes of it.
  if (sm_enabled_) sm_.count_inbound();
  const std::string name = stanza.name();
  if (name == "message") {
    route_message(std::move(stanza));
  } else if (name == "presence") {
    route_presence(std::move(stanza));
  } else {
    route_iq(std::move(stanza));
  }
}

void XmppSession::on_pre_bind_iq(const wire::XmlElement& stanza) {
  if (stanza.name() == "iq" && stanza.child("bind", xmlns::kBind)) {
    on_bind(stanza);
    return;
  }
  // RFC 6120 §7.1: no stanzas before a resource is bound.
  close_stream(StreamError::not_authorized, "bind a resource first");
}

bool XmppSession::stamp_and_check_to(wire::XmlElement& stanza, std::optional<model::Address>& to) {
  // RFC 6120 §8.1.2.1: the server stamps the full JID, whatever the client wrote.
  stanza.set_attr("from", full_text_);
  auto text = stanza.attr("to");
  if (!text || text->empty()) return true;
  auto parsed = model::Address::parse(*text);
  if (!parsed) {
    // RFC 6120 §8.3.3.8; the reply must not claim to come from the malformed address.
    wire::XmlElement copy = stanza;
    copy.remove_attr("to");
    send_error(copy, StanzaError::make(ErrorCondition::jid_malformed, parsed.error()));
    return false;
  }
  to = std::move(parsed).value();
  return true;
}

namespace {

bool is_served_domain(const XmppConfig& config, const model::Address& address) {
  return address.local().empty() && std::find(config.domains.begin(), config.domains.end(),
                                              address.domain()) != config.domains.end();
}

}  // namespace

void XmppSession::route_message(wire::XmlElement&& stanza) {
  std::optional<model::Address> to;
  if (!stamp_and_check_to(stanza, to)) return;
  if (is_muc_address(to)) {
    muc::handle_message(*this, muc_participant(), stanza, *to);
    return;
  }
  // The addresses are known already (stamped 'from', parsed 'to'): parsing them again was a
  // tenth of the 1:1 message path (perf, bench/TUNING.md).
  auto parsed = mapping::xmpp::message_from_xml(stanza, mapping::xmpp::MessageAddresses::skip);
  if (!parsed) {
    send_error(stanza, parsed.error());
    return;
  }
  model::Message message = std::move(parsed).value();
  message.from = full_;
  // RFC 6121 §8.1.1.1: no 'to' means the user's own bare JID.
  message.to = to ? *to : user_.bare();
  if (is_served_domain(server_->config, message.to)) {
    // RFC 6121 §8.5.1 / RFC 6120 §10.5.1: nothing serves messages at the domain itself.
    const bool answerable =
        (message.type == model::MessageType::chat || message.type == model::MessageType::normal) &&
        !message.body.empty();
    if (answerable) {
      send_error(stanza, StanzaError::make(ErrorCondition::service_unavailable));
    }
    return;
  }
  // The router stamps; nothing the client claims about stamps or ids survives (XEP-0359 §3).
  message.stanza_id.clear();
  message.stamp = {};
  message.delayed = false;
  server_->core.send_message(std::move(message));
}

void XmppSession::route_presence(wire::XmlElement&& stanza) {
  std::optional<model::Address> to;
  if (!stamp_and_check_to(stanza, to)) return;
  if (is_muc_address(to)) {
    muc::handle_presence(*this, muc_participant(), stanza, *to);
    return;
  }
  auto parsed = mapping::xmpp::presence_from_xml(stanza);
  if (!parsed) {
    send_error(stanza, parsed.error());  // bad-request for a bad priority, show or type
    return;
  }
  model::Presence presence = std::move(parsed).value();
  presence.from = full_;
  presence.to = to ? *to : model::Address{};
  if (!to) {
    if (presence.type == model::PresenceType::available) {
      available_ = true;
      sent_unavailable_ = false;
    } else if (presence.type == model::PresenceType::unavailable) {
      // XEP-0198 §5: unavailable presence then a disconnect ends the session for good.
      available_ = false;
      sent_unavailable_ = true;
      // RFC 6121 §4.6.3: unavailable ends the directed presence sent to rooms too.
      if (muc_) muc::leave_all_rooms(server_->rooms, *muc_);
    }
  } else if (is_served_domain(server_->config, *to) &&
             presence.type != model::PresenceType::probe && !presence.is_subscription()) {
    return;  // directed presence to the server itself: nothing to do
  }
  server_->core.send_presence(std::move(presence));
}

void XmppSession::route_iq(wire::XmlElement&& stanza) {
  std::optional<model::Address> to;
  if (!stamp_and_check_to(stanza, to)) return;
  const std::string type = stanza.attr_or("type");
  const bool request = is_request(type);
  if (!request && type != "result" && type != "error") {
    send_error(stanza, StanzaError::make(ErrorCondition::bad_request, "invalid iq type"));
    return;
  }
  if (!stanza.attr("id")) {
    // RFC 6120 §8.2.3: an IQ must carry an id.
    if (request) send_error(stanza, StanzaError::make(ErrorCondition::bad_request, "missing id"));
    return;
  }
  if (is_muc_address(to)) {
    muc::handle_iq(*this, muc_participant(), stanza, *to);
    return;
  }
  if (to && to->is_full() && !to->local().empty()) {
    route_opaque(stanza, *to);  // RFC 6120 §10.5.3.1: to a full JID, routed as it is
    return;
  }
  // To the server, or to a bare account address: the server answers on its behalf
  // (RFC 6120 §10.5.3.2, RFC 6121 §8.5.1). Responses to us need no answer.
  if (!request) return;
  if (stanza.element_children().size() != 1) {
    // RFC 6120 §8.2.3: a get or set contains exactly one payload element.
    send_error(stanza, StanzaError::make(ErrorCondition::bad_request, "one child expected"));
    return;
  }
  dispatch_to_feature(stanza);
}

void XmppSession::dispatch_to_feature(const wire::XmlElement& iq) {
  const auto* payload = iq.element_children().front();
  const auto& handlers = server_->features.iq_handlers;
  if (auto it = handlers.find(payload->xmlns()); it != handlers.end()) {
    it->second(*this, iq);
    return;
  }
  if (payload->xmlns() == xmlns::kSession && payload->name() == "session") {
    // RFC 3921 §3 session establishment, a no-op kept for old clients (RFC 6121 App. E).
    send(make_iq_result(iq));
    return;
  }
  if (payload->xmlns() == xmlns::kBind) {
    // RFC 6120 §7.7.2.1: one resource per stream.
    send_error(iq, StanzaError::make(ErrorCondition::not_allowed, "already bound"));
    return;
  }
  // RFC 6120 §8.4: a namespace nobody here understands.
  send_error(iq, StanzaError::make(ErrorCondition::service_unavailable));
}

void XmppSession::route_opaque(const wire::XmlElement& stanza, const model::Address& to) {
  api::OpaqueDelivery opaque{model::Protocol::xmpp, full_, to, stanza.serialize(xmlns::kClient)};
  const bool request = is_request(stanza.attr_or("type"));
  // The recipient is not there (or not XMPP): a requester gets the error (§8.3.1); errors
  // about results and errors are dropped.
  api::ErrorCallback done = [post = poster(), stanza,
                             request](std::optional<model::StanzaError> error) {
    if (!error || !request) return;
    post([stanza, error = *error](SessionContext& session) { session.send_error(stanza, error); });
  };
  server_->core.send_opaque(std::move(opaque), std::move(done));
}

bool XmppSession::is_muc_address(const std::optional<model::Address>& to) const {
  return to && !server_->muc_domain.empty() && to->domain() == server_->muc_domain;
}

muc::MucParticipant& XmppSession::muc_participant() {
  if (!muc_) {
    muc_ = std::make_shared<muc::MucParticipant>(server_->muc, poster());
    server_->rooms.watch(user_.bare(), muc_);
  }
  return *muc_;
}

void XmppSession::end_muc() {
  if (!muc_) return;
  muc::end_session(server_->rooms, user_, *muc_);
  muc_.reset();
}

}  // namespace parley::xmpp
