// TransactionLayer, client side (RFC 3261 §17.1.2, non-INVITE): our requests toward clients
// (MESSAGE, NOTIFY, ...). Timer E retransmits over UDP (T1 doubling to T2; T2 once a 1xx came),
// Timer F ends with 408, Timer K absorbs retransmitted final responses.
#include <boost/asio/post.hpp>

#include "adapters/sip/request_checks.hpp"
#include "adapters/sip/transaction_layer.hpp"
#include "adapters/sip/transaction_state.hpp"
#include "gateway/log/log.hpp"

namespace parley::sip {

namespace asio = boost::asio;
using boost::system::error_code;
using ClientPhase = TransactionLayer::ClientState::Phase;

void TransactionLayer::send_request(SipMessage request, const Flow& flow,
                                    std::function<void(ClientOutcome)> done) {
  auto fail_soon = [this, &done](int status) {
    asio::post(strand_, [done = std::move(done), status] {
      if (done) done(ClientOutcome{status, nullptr});
    });
  };
  if (stopped_ || overloaded()) {
    fail_soon(503);
    return;
  }
  if (!request.is_request || request.method.empty()) {
    fail_soon(500);
    return;
  }
  // RFC 3261 §8.1.1.7 and RFC 3581 §3: our Via with a fresh branch, asking for rport.
  const std::string branch = make_branch(new_token_());
  Via via;
  via.transport = std::string(transport_name(flow.transport));
  via.host = transport_.via_sent_by(flow);  // "host:port" as one token
  via.params = {{"branch", branch}, {"rport", ""}};
  request.prepend_header("Via", via.to_string());
  if (!request.header("Max-Forwards")) request.add_header("Max-Forwards", "70");
  auto cseq = request.cseq();
  const std::string method = cseq ? cseq->method : request.method;

  auto state = std::make_shared<ClientState>(strand_);
  state->key = branch + "|" + method;
  state->flow = flow;
  state->bytes = serialize(request);
  state->done = std::move(done);
  if (!transport_.send(flow, flow.remote_port, state->bytes)) {
    // RFC 5626 §5.2: the flow (connection) is gone; over UDP the send itself failed.
    const int status = reliable(flow) ? 430 : 503;
    asio::post(strand_, [done = std::move(state->done), status] {
      if (done) done(ClientOutcome{status, nullptr});
    });
    return;
  }
  clients_[state->key] = state;
  activate(*state);
  if (!reliable(flow)) {
    state->interval = config_.timers.t1;
    client_retransmit(state);
  }
  // Timer F: 64*T1 for the whole transaction, over any transport.
  state->end_timer.expires_after(64 * config_.timers.t1);
  state->end_timer.async_wait([layer = weak_from_this(), state](const error_code& ec) {
    auto self = layer.lock();
    if (ec || !self || state->phase == ClientPhase::completed) return;
    PARLEY_LOG_DEBUG("sip", state->flow.to_string(), "timer_f", {{"transaction", state->key}});
    self->finish_client(state, ClientOutcome{408, nullptr});
  });
}

void TransactionLayer::client_retransmit(const std::shared_ptr<ClientState>& state) {
  state->retransmit_timer.expires_after(state->interval);
  state->retransmit_timer.async_wait([layer = weak_from_this(), state](const error_code& ec) {
    auto self = layer.lock();
    if (ec || !self || self->stopped_ || state->phase == ClientPhase::completed) return;
    self->transport_.send(state->flow, state->flow.remote_port, state->bytes);
    // Timer E: doubles up to T2 while Trying, stays at T2 in Proceeding (RFC 3261 §17.1.2.2).
    state->interval = state->phase == ClientPhase::proceeding
                          ? self->config_.timers.t2
                          : std::min(2 * state->interval, self->config_.timers.t2);
    self->client_retransmit(state);
  });
}

void TransactionLayer::on_response(SipMessage response, const Flow& flow) {
  if (stopped_) return;
  auto vias = response.vias();
  auto cseq = response.cseq();
  if (vias.empty() || !cseq) return;
  auto it = clients_.find(vias.front().branch() + "|" + cseq->method);
  if (it == clients_.end()) {
    // RFC 3261 §18.1.2: a response matching no transaction is dropped (we are no proxy).
    PARLEY_LOG_DEBUG("sip", flow.to_string(), "stray_response",
                     {{"status", std::to_string(response.status)}});
    return;
  }
  auto state = it->second;
  if (state->phase == ClientPhase::completed) return;  // Timer K absorbs retransmissions
  if (response.status < 200) {
    state->phase = ClientPhase::proceeding;
    return;
  }
  finish_client(state, ClientOutcome{response.status,
                                     std::make_shared<const SipMessage>(std::move(response))});
}

void TransactionLayer::finish_client(const std::shared_ptr<ClientState>& state,
                                     ClientOutcome outcome) {
  if (state->phase == ClientPhase::completed) return;
  state->phase = ClientPhase::completed;
  deactivate(*state);
  state->retransmit_timer.cancel();
  state->end_timer.cancel();
  auto done = std::move(state->done);
  state->done = nullptr;
  if (outcome.response && !reliable(state->flow)) {
    // Timer K (T4 over UDP) keeps the transaction to absorb retransmitted finals.
    state->end_timer.expires_after(config_.timers.t4);
    state->end_timer.async_wait([layer = weak_from_this(), state](const error_code& ec) {
      if (auto self = layer.lock(); self && !ec) self->erase_client(state);
    });
  } else {
    erase_client(state);
  }
  if (done) done(std::move(outcome));
}

void TransactionLayer::erase_client(const std::shared_ptr<ClientState>& state) {
  if (auto it = clients_.find(state->key); it != clients_.end() && it->second == state) {
    clients_.erase(it);
  }
  deactivate(*state);
}

}  // namespace parley::sip
