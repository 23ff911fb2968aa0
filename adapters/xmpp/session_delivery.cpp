// XmppSession, part 4: deliveries from the core to the client, translated on the strand.
#include "adapters/xmpp/server_context.hpp"
#include "adapters/xmpp/stream_elements.hpp"
#include "adapters/xmpp/wire/fragment_parser.hpp"
#include "adapters/xmpp/xmpp_session.hpp"
#include "gateway/log/log.hpp"
#include "mapping/xmpp/carbons_codec.hpp"
#include "mapping/xmpp/message_codec.hpp"
#include "mapping/xmpp/presence_codec.hpp"
#include "mapping/xmpp/roster_codec.hpp"

namespace parley::xmpp {

namespace {

bool is_stanza(const wire::XmlElement& element) {
  return element.name() == "message" || element.name() == "presence" || element.name() == "iq";
}

}  // namespace

void XmppSession::on_delivery(api::Delivery&& delivery) {
  if (handed_over_) {
    // XEP-0198: a delivery that raced with resumption goes on to the new connection.
    if (auto successor = successor_.lock()) successor->post_delivery(std::move(delivery));
    return;
  }
  if (life_ == Life::ended) return;
  std::visit([this](auto&& item) { deliver(std::move(item)); }, std::move(delivery));
}

bool XmppSession::admit_outgoing(std::optional<UnackedStanza> unacked) {
  if (unacked && !sm_.push(std::move(*unacked))) {
    // XEP-0198: the client does not acknowledge; we cannot keep more.
    if (life_ == Life::detached) {
      expire_detached("unacked queue full");
    } else {
      close_stream(StreamError::policy_violation, "too many unacknowledged stanzas");
    }
    return false;
  }
  if (life_ != Life::open) return false;  // detached/closing: kept in the XEP-0198 queue if enabled
  if (outbox_.size() >= server_->config.outbox_high_watermark) {
    // The client reads slower than it is sent to (ARCHITECTURE.md: bounded queues).
    close_stream(StreamError::policy_violation, "outbox overflow");
    return false;
  }
  return true;
}

void XmppSession::send_stanza(wire::XmlElement stanza,
                              std::shared_ptr<const model::Message> message) {
  if (life_ == Life::ended) return;
  send_serialized(stanza.serialize(xmlns::kClient), is_stanza(stanza), std::move(message));
}

void XmppSession::send_serialized(std::string data, bool countable,
                                  std::shared_ptr<const model::Message> message) {
  if (life_ == Life::ended) return;
  const bool counted = countable && sm_enabled_;
  std::optional<UnackedStanza> unacked;
  if (counted) unacked = UnackedStanza{data, std::move(message)};
  if (!admit_outgoing(std::move(unacked))) return;
  enqueue_bytes(std::move(data));
  if (counted && sm_.take_request_due()) request_ack();
}

void XmppSession::send_shared(const wire::SharedStanza& stanza) {
  if (life_ == Life::ended) return;
  if (!full_escaped_) {
    full_escaped_ = std::make_shared<const std::string>(wire::escape_attribute(full_text_));
  }
  std::optional<UnackedStanza> unacked;
  if (sm_enabled_) unacked = UnackedStanza{stanza.assemble(*full_escaped_), nullptr};
  if (!admit_outgoing(std::move(unacked))) return;
  outbox_.push_shared(stanza.head, full_escaped_, stanza.tail);
  schedule_flush();  // like enqueue_bytes: room messages queued together share one write
  if (sm_enabled_ && sm_.take_request_due()) request_ack();
}

void XmppSession::set_full_address(model::Address full) {
  full_ = std::move(full);
  full_text_ = full_.to_string();
  full_escaped_.reset();
}

std::string XmppSession::next_push_id() {
  return "push-" + std::to_string(++push_counter_);
}

void XmppSession::deliver(api::MessageDelivery&& delivery) {
  if (!delivery.message) return;
  const model::Message& message = *delivery.message;
  mapping::xmpp::MessageXmlOptions options;
  options.delay_from = domain_;
  if (delivery.copy != api::CopyKind::none) {
    // XEP-0280 §6/§7: copies are wrapped and never re-routed (the original is elsewhere).
    send_stanza(mapping::xmpp::carbon_wrap(mapping::xmpp::message_to_xml(message, options),
                                           delivery.copy, full_),
                nullptr);
    return;
  }
  // Straight to bytes: no element tree for the most frequent stanza.
  std::string data = mapping::xmpp::message_to_wire(message, options);
  auto keep = message.body.empty() ? nullptr : std::move(delivery.message);
  send_serialized(std::move(data), true, std::move(keep));
}

void XmppSession::deliver(api::PresenceDelivery&& delivery) {
  if (!delivery.presence) return;
  send_serialized(mapping::xmpp::presence_to_wire(*delivery.presence), true, nullptr);
}

void XmppSession::deliver(api::RosterPush&& push) {
  // RFC 6121 §2.1.6: pushes only go to resources that requested the roster.
  if (!flags_.roster_interested || stage_ != Stage::bound) return;
  wire::XmlElement iq("iq", std::string(xmlns::kClient));
  iq.set_attr("type", "set");
  iq.set_attr("id", next_push_id());
  iq.set_attr("to", full_.to_string());
  iq.add_child(mapping::xmpp::roster_push_to_xml(push));
  send_stanza(std::move(iq), nullptr);
}

void XmppSession::deliver(api::BlockListPush&& push) {
  // XEP-0191 §3.2: to resources that requested the block list.
  if (!flags_.block_list_interested || stage_ != Stage::bound) return;
  send_stanza(make_block_push(push, full_.to_string(), next_push_id()), nullptr);
}

void XmppSession::deliver(api::OpaqueDelivery&& delivery) {
  wire::ParserLimits limits;
  limits.max_stanza_bytes = server_->config.max_stanza_bytes;
  auto parsed = wire::parse_fragment(delivery.data, xmlns::kClient, limits);
  if (!parsed) {
    PARLEY_LOG_WARN("xmpp", session_id_, "opaque_dropped",
                    {{"error", std::string(wire::parse_error_condition(parsed.error().error))},
                     {"from", delivery.from.to_string()}});
    return;
  }
  wire::XmlElement stanza = std::move(parsed).value();
  if (!is_stanza(stanza) || stanza.xmlns() != xmlns::kClient) return;
  // RFC 6120 §8.1.2.1: the addresses are the router's, not what the sender wrote.
  stanza.set_attr("from", delivery.from.to_string());
  stanza.set_attr("to", delivery.to.to_string());
  send_stanza(std::move(stanza), nullptr);
}

void XmppSession::deliver(api::CloseRequest&& request) {
  StreamError condition = StreamError::system_shutdown;
  std::string_view text;
  switch (request.reason) {
    case api::CloseReason::conflict:
      condition = StreamError::conflict;  // RFC 6120 §4.9.3.3: replaced by a new session
      text = "replaced by a new session";
      break;
    case api::CloseReason::account_removed:
      condition = StreamError::not_authorized;
      text = "account removed";
      break;
    case api::CloseReason::shutdown:
      condition = StreamError::system_shutdown;
      break;
  }
  if (life_ == Life::detached) {
    expire_detached(text.empty() ? "shutdown" : text);
    return;
  }
  close_stream(condition, text);
}

}  // namespace parley::xmpp
