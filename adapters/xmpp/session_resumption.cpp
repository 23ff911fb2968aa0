// XmppSession, part 5: XEP-0198 stream management — acks, detaching on connection loss,
// resumption by a new connection, and expiry.
#include <boost/asio/post.hpp>
#include <chrono>

#include "adapters/xmpp/muc/muc_participant.hpp"
#include "adapters/xmpp/server_context.hpp"
#include "adapters/xmpp/session_endpoint.hpp"
#include "adapters/xmpp/stream_elements.hpp"
#include "adapters/xmpp/xmpp_session.hpp"
#include "gateway/auth/scram.hpp"
#include "gateway/log/log.hpp"

namespace parley::xmpp {

namespace asio = boost::asio;

void XmppSession::on_sm_element(const wire::XmlElement& element) {
  const auto& name = element.name();
  if (name == "enable") {
    on_sm_enable(element);
  } else if (name == "resume") {
    on_sm_resume(element);
  } else if (name == "a" && sm_enabled_) {
    on_sm_ack(element);
  } else if (name == "r" && sm_enabled_) {
    enqueue_bytes(make_sm_ack(sm_.inbound()).serialize(xmlns::kClient));
  } else {
    close_stream(StreamError::unsupported_stanza_type);
  }
}

void XmppSession::on_sm_enable(const wire::XmlElement& enable) {
  // XEP-0198 §3: only after resource binding, and only once.
  if (stage_ != Stage::bound || sm_enabled_) {
    enqueue_bytes(make_sm_failed("unexpected-request").serialize(xmlns::kClient));
    return;
  }
  const std::string resume = enable.attr_or("resume");
  sm_enabled_ = true;
  const bool resumable = resume == "true" || resume == "1";
  if (resumable) {
    sm_id_ = auth::random_id(24);
    server_->sessions.add_resumable(sm_id_, user_.bare_string(), weak_from_this());
  }
  const auto max = static_cast<std::uint32_t>(server_->config.resume_timeout.count());
  enqueue_bytes(make_sm_enabled(sm_id_, resumable, max).serialize(xmlns::kClient));
  PARLEY_LOG_DEBUG("xmpp", session_id_, "sm_enabled", {{"resume", resumable ? "true" : "false"}});
}

void XmppSession::on_sm_ack(const wire::XmlElement& ack) {
  auto h = parse_sm_h(ack);
  if (!h) {
    close_stream(StreamError::bad_format, "invalid h");
    return;
  }
  if (sm_.ack(*h) == StreamManagement::AckResult::too_high) {
    // XEP-0198 §4: acknowledging stanzas never sent is a protocol error.
    close_stream(StreamError::undefined_condition, "h acknowledges more stanzas than sent");
  }
}

void XmppSession::request_ack() {
  enqueue_bytes(make_empty("r", xmlns::kSm).serialize(xmlns::kClient));
}

void XmppSession::detach() {
  life_ = Life::detached;
  outbox_.clear();
  PARLEY_LOG_INFO("xmpp", session_id_, "detached",
                  {{"jid", full_.to_string()}, {"unacked", std::to_string(sm_.unacked().size())}});
  resume_timer_.expires_after(server_->config.resume_timeout);
  resume_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->on_resume_timeout();
  });
}

void XmppSession::on_resume_timeout() {
  expire_detached("resume timeout");
}

void XmppSession::expire_detached(std::string_view reason) {
  if (life_ != Life::detached) return;
  // Somebody may be taking this session over right now: then hand_over() follows.
  if (!server_->sessions.remove_resumable(sm_id_, this)) return;
  finish(reason);
}

void XmppSession::reroute_unacked() {
  // XEP-0198 §5 (and §4 "Stream Closure"): messages the client never acknowledged go back to
  // the router as delayed messages from their original sender, to be stored or delivered to
  // another resource, instead of being lost.
  for (auto& unacked : sm_.take_unacked()) {
    if (!unacked.message || unacked.message->body.empty()) continue;
    model::Message message = *unacked.message;
    message.delayed = true;
    if (message.stamp == model::Timestamp{}) message.stamp = std::chrono::system_clock::now();
    server_->core.send_message(std::move(message));
  }
}

void XmppSession::on_sm_resume(const wire::XmlElement& resume) {
  // XEP-0198 §5: after authentication, instead of binding.
  if (stage_ != Stage::authenticated) {
    enqueue_bytes(make_sm_failed("unexpected-request").serialize(xmlns::kClient));
    return;
  }
  const std::string previd = resume.attr_or("previd");
  const auto h = parse_sm_h(resume);
  if (previd.empty() || !h) {
    enqueue_bytes(make_sm_failed("bad-request").serialize(xmlns::kClient));
    return;
  }
  auto previous = server_->sessions.take_resumable(previd, user_.bare_string());
  if (!previous) {
    resume_failed();
    return;
  }
  // The state lives on the old session's strand: it hands it over from there.
  asio::post(previous->executor_, [previous, successor = weak_from_this(), previd, h = *h] {
    previous->hand_over(successor, previd, h);
  });
}

void XmppSession::resume_failed() {
  enqueue_bytes(make_sm_failed("item-not-found").serialize(xmlns::kClient));
}

void XmppSession::hand_over(std::weak_ptr<XmppSession> successor_weak, std::string previd,
                            std::uint32_t h) {
  auto successor = successor_weak.lock();
  if (!successor) {
    // The resuming connection is gone already: stay resumable.
    if (life_ == Life::detached) {
      server_->sessions.add_resumable(sm_id_, user_.bare_string(), weak_from_this());
    }
    return;
  }
  if (life_ == Life::ended || handed_over_) {
    asio::post(successor->executor_, [successor] { successor->resume_failed(); });
    return;
  }
  ResumeState state{full_, flags_, std::move(sm_), sm_id_, endpoint_, available_, muc_};
  handed_over_ = true;
  successor_ = successor;
  const bool was_connected = life_ != Life::detached;
  life_ = Life::ended;
  resume_timer_.cancel();
  close_socket();  // the client replaced a connection we had not noticed was dead
  asio::post(successor->executor_,
             [successor, state = std::move(state), previd = std::move(previd), h]() mutable {
               successor->apply_resume(std::move(state), std::move(previd), h);
             });
  // Deliveries from now on reach the new session (after apply_resume on its strand).
  if (endpoint_) endpoint_->retarget(successor);
  if (muc_) muc_->retarget(successor->poster());
  PARLEY_LOG_INFO("xmpp", session_id_, "closed",
                  {{"reason", was_connected ? "replaced by resumption" : "resumed elsewhere"},
                   {"jid", full_.to_string()}});
  server_->sessions.remove(this);
}

void XmppSession::apply_resume(ResumeState state, std::string previd, std::uint32_t h) {
  set_full_address(std::move(state.full));
  flags_ = state.flags;
  sm_ = std::move(state.sm);
  sm_enabled_ = true;
  sm_id_ = std::move(state.sm_id);
  endpoint_ = std::move(state.endpoint);
  available_ = state.available;
  muc_ = std::move(state.muc);
  stage_ = Stage::bound;
  server_->sessions.add_resumable(sm_id_, user_.bare_string(), weak_from_this());
  if (life_ != Life::open) {
    // This connection ended while the state was on its way: end the adopted session too.
    if (life_ == Life::ended) {
      server_->sessions.remove_resumable(sm_id_, this);
      unbind_from_core();
      end_muc();
      reroute_unacked();
    }
    return;
  }
  if (sm_.ack(h) == StreamManagement::AckResult::too_high) {
    close_stream(StreamError::undefined_condition, "h acknowledges more stanzas than sent");
    return;
  }
  enqueue_bytes(make_sm_resumed(previd, sm_.inbound()).serialize(xmlns::kClient));
  // XEP-0198 §5: everything the client has not acknowledged is sent again.
  for (const auto& unacked : sm_.unacked()) enqueue_bytes(unacked.data);
  PARLEY_LOG_INFO(
      "xmpp", session_id_, "resumed",
      {{"jid", full_.to_string()}, {"retransmitted", std::to_string(sm_.unacked().size())}});
}

}  // namespace parley::xmpp
