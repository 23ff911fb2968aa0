// TransactionLayer, server side (RFC 3261 §17.2, RFC 6026): matching, retransmission
// absorption, Timers G/H/I/J/L, stack-level rejections, and the handles given to the services.
#include <boost/asio/post.hpp>

#include "adapters/sip/request_checks.hpp"
#include "adapters/sip/transaction_layer.hpp"
#include "adapters/sip/transaction_state.hpp"
#include "adapters/sip/wire/error_response.hpp"
#include "gateway/log/log.hpp"

namespace parley::sip {

namespace asio = boost::asio;
using boost::system::error_code;
using Phase = TransactionLayer::ServerState::Phase;

namespace {

// What a service holds. Answers and the final release are posted to the stack's strand.
class ServerTransactionHandle final : public ServerTransaction {
 public:
  ServerTransactionHandle(std::shared_ptr<TransactionLayer::ServerState> state,
                          std::weak_ptr<TransactionLayer> layer, Strand strand)
      : state_(std::move(state)), layer_(std::move(layer)), strand_(std::move(strand)) {}
  ~ServerTransactionHandle() override {
    asio::post(strand_, [layer = layer_, state = state_] {
      if (auto l = layer.lock()) l->dropped(state);
    });
  }
  const SipMessage& request() const override { return state_->request; }
  const Flow& flow() const override { return state_->flow; }
  void respond(SipMessage response) override {
    asio::post(strand_, [layer = layer_, state = state_, r = std::move(response)]() mutable {
      if (auto l = layer.lock()) l->respond(state, std::move(r));
    });
  }

 private:
  std::shared_ptr<TransactionLayer::ServerState> state_;
  std::weak_ptr<TransactionLayer> layer_;
  Strand strand_;
};

std::string ack_key_of(const SipMessage& request) {
  auto cseq = request.cseq();
  return request.call_id().value_or("") + "|" + std::to_string(cseq ? cseq->number : 0);
}

}  // namespace

TransactionLayer::TransactionLayer(Strand strand, const SipConfig& config,
                                   TransportSender& transport, RequestHandler& handler,
                                   std::function<std::string()> new_token)
    : strand_(std::move(strand)),
      config_(config),
      transport_(transport),
      handler_(handler),
      new_token_(std::move(new_token)),
      limiter_(config.requests_per_second_per_source, config.request_burst_per_source,
               config.max_tracked_sources) {}

TransactionLayer::~TransactionLayer() = default;

void TransactionLayer::on_request(SipMessage request, const Flow& flow) {
  if (stopped_) return;
  const bool is_ack = request.method == "ACK";
  const std::string key = server_transaction_key(request, request.method);
  if (auto it = servers_.find(key); it != servers_.end()) {
    auto state = it->second;
    if (is_ack) {
      // RFC 3261 §17.2.1: the ACK of a non-2xx final ends retransmission; Timer I absorbs
      // further ACKs (T4 over UDP, 0 over a stream).
      if (state->invite && state->phase == Phase::completed) {
        state->phase = Phase::confirmed;
        state->retransmit_timer.cancel();
        arm_server_end(state, reliable(flow) ? std::chrono::milliseconds(0) : config_.timers.t4);
      }
      if (state->phase != Phase::accepted) return;
    } else {
      // A retransmitted request: resend the last response, nothing reaches the services.
      if (!state->last_response.empty()) send_response_bytes(*state, state->last_response);
      return;
    }
  }
  if (is_ack) {
    // The ACK of a 2xx (its own transaction, RFC 3261 §17.1.1.3): stop resending the 2xx and
    // give the ACK to the services (dialogs want it).
    if (auto found = awaiting_ack_.find(ack_key_of(request)); found != awaiting_ack_.end()) {
      if (auto state = found->second.lock()) erase_server(state);
      awaiting_ack_.erase(ack_key_of(request));
    }
    auto state = std::make_shared<ServerState>(strand_);
    state->request = std::move(request);
    state->flow = flow;
    state->ack = true;
    handler_.on_request(
        std::make_shared<ServerTransactionHandle>(state, weak_from_this(), strand_));
    return;
  }

  // A new request: overload bounds first, so a flood costs as little as possible.
  if (!allow_source(flow.remote_address)) {
    PARLEY_LOG_DEBUG("sip", flow.to_string(), "rate_limited", {{"method", request.method}});
    reject_stateless(request, flow, 503, "Rate Limit Exceeded", true);
    return;
  }
  if (overloaded()) {
    PARLEY_LOG_WARN("sip", flow.to_string(), "overloaded",
                    {{"transactions", std::to_string(size())}});
    reject_stateless(request, flow, 503, "Service Unavailable", true);
    return;
  }

  auto state = std::make_shared<ServerState>(strand_);
  state->key = key;
  state->ack_key = ack_key_of(request);
  state->flow = flow;
  state->udp_port = response_port(request, flow.remote_port);
  state->invite = request.method == "INVITE";
  state->request = std::move(request);
  servers_[key] = state;
  activate(*state);

  if (auto rejection = check_request(state->request, config_.supported_extensions)) {
    SipMessage response =
        make_rejection(state->request, rejection->status, rejection->reason, config_.agent_name);
    for (auto& [name, value] : rejection->headers) response.add_header(name, value);
    respond(state, std::move(response));
    return;
  }
  // RFC 3261 §17.2.1: an INVITE server transaction answers 100 Trying at once so the client
  // stops retransmitting while the services work.
  if (state->invite) respond(state, make_response(state->request, 100));
  handler_.on_request(std::make_shared<ServerTransactionHandle>(state, weak_from_this(), strand_));
}

void TransactionLayer::respond(const std::shared_ptr<ServerState>& state, SipMessage response) {
  if (stopped_ || state->ack || state->final_sent || state->phase == Phase::terminated) return;
  if (response.is_request || response.status < 100 || response.status > 699) {
    PARLEY_LOG_ERROR("sip", state->flow.to_string(), "bad_response_from_service",
                     {{"status", std::to_string(response.status)}});
    return;
  }
  // The response carries exactly the request's Vias, the top one as stamped on receipt
  // (received/rport, RFC 3581 §4).
  response.remove_header("Via");
  auto vias = state->request.header_values("Via");
  for (auto it = vias.rbegin(); it != vias.rend(); ++it) response.prepend_header("Via", *it);
  std::string bytes = serialize(response);
  send_response_bytes(*state, bytes);
  state->last_response = std::move(bytes);
  const bool stream = reliable(state->flow);
  const auto t1 = config_.timers.t1;
  if (response.status < 200) {
    state->phase = Phase::proceeding;
    return;
  }
  state->final_sent = true;
  deactivate(*state);
  if (!state->invite) {
    // RFC 3261 §17.2.2: Completed; Timer J (64*T1 over UDP, 0 over a stream) absorbs
    // retransmissions of the request.
    state->phase = Phase::completed;
    arm_server_end(state, stream ? std::chrono::milliseconds(0) : 64 * t1);
    return;
  }
  if (response.status >= 300) {
    // RFC 3261 §17.2.1: Completed; Timer G resends over UDP until the ACK, Timer H gives up.
    state->phase = Phase::completed;
  } else {
    // RFC 6026 §7.1: Accepted; the 2xx is resent over UDP until its ACK (RFC 3261 §13.3.1.4),
    // Timer L ends it.
    state->phase = Phase::accepted;
    if (!stream) awaiting_ack_[state->ack_key] = state;
  }
  if (!stream) {
    state->interval = t1;
    arm_server_retransmit(state);
  }
  arm_server_end(state, 64 * t1);
}

void TransactionLayer::dropped(const std::shared_ptr<ServerState>& state) {
  if (stopped_ || state->ack || state->final_sent || state->phase == Phase::terminated) return;
  PARLEY_LOG_WARN("sip", state->flow.to_string(), "unanswered_transaction",
                  {{"method", state->request.method}});
  respond(state, make_response(state->request, 500, "Server Internal Error"));
}

bool TransactionLayer::allow_source(const boost::asio::ip::address& source) {
  return limiter_.allow(source, std::chrono::steady_clock::now());
}

void TransactionLayer::send_response_bytes(const ServerState& state, const std::string& bytes) {
  transport_.send(state.flow, state.udp_port, bytes);
}

void TransactionLayer::reject_stateless(const SipMessage& request, const Flow& flow, int status,
                                        std::string_view reason, bool retry_after) {
  SipMessage response = make_rejection(request, status, reason, config_.agent_name);
  if (retry_after) {
    response.add_header("Retry-After", std::to_string(config_.retry_after.count()));
  }
  transport_.send(flow, response_port(request, flow.remote_port), serialize(response));
}

void TransactionLayer::arm_server_retransmit(const std::shared_ptr<ServerState>& state) {
  state->retransmit_timer.expires_after(state->interval);
  state->retransmit_timer.async_wait([layer = weak_from_this(), state](const error_code& ec) {
    auto self = layer.lock();
    if (ec || !self || self->stopped_) return;
    if (state->phase != Phase::completed && state->phase != Phase::accepted) return;
    self->send_response_bytes(*state, state->last_response);
    state->interval = std::min(2 * state->interval, self->config_.timers.t2);  // Timer G
    self->arm_server_retransmit(state);
  });
}

void TransactionLayer::arm_server_end(const std::shared_ptr<ServerState>& state,
                                      std::chrono::milliseconds after) {
  if (after.count() == 0) {
    erase_server(state);
    return;
  }
  state->end_timer.expires_after(after);
  state->end_timer.async_wait([layer = weak_from_this(), state](const error_code& ec) {
    auto self = layer.lock();
    if (ec || !self) return;
    if (state->phase == Phase::completed && state->invite) {
      // Timer H: the ACK never came (RFC 3261 §17.2.1).
      PARLEY_LOG_DEBUG("sip", state->flow.to_string(), "timer_h", {});
    }
    self->erase_server(state);
  });
}

void TransactionLayer::erase_server(const std::shared_ptr<ServerState>& state) {
  state->phase = Phase::terminated;
  state->retransmit_timer.cancel();
  state->end_timer.cancel();
  if (auto it = servers_.find(state->key); it != servers_.end() && it->second == state) {
    servers_.erase(it);
  }
  deactivate(*state);
  if (auto it = awaiting_ack_.find(state->ack_key); it != awaiting_ack_.end()) {
    auto current = it->second.lock();
    if (!current || current == state) awaiting_ack_.erase(it);
  }
}

void TransactionLayer::on_flow_closed(const Flow& flow) {
  if (flow.connection_id == 0) return;
  std::vector<std::shared_ptr<ServerState>> servers;
  for (auto& [key, state] : servers_) {
    if (state->flow.connection_id == flow.connection_id) servers.push_back(state);
  }
  for (auto& state : servers) erase_server(state);
  std::vector<std::shared_ptr<ClientState>> clients;
  for (auto& [key, state] : clients_) {
    if (state->flow.connection_id == flow.connection_id) clients.push_back(state);
  }
  // RFC 5626 §5.2: a request over a flow that failed ends with 430 Flow Failed.
  for (auto& state : clients) finish_client(state, ClientOutcome{430, nullptr});
}

void TransactionLayer::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& [key, state] : servers_) {
    state->phase = Phase::terminated;
    state->retransmit_timer.cancel();
    state->end_timer.cancel();
  }
  servers_.clear();
  awaiting_ack_.clear();
  active_ = 0;
  published_size_ = 0;
  auto clients = std::move(clients_);
  clients_.clear();
  for (auto& [key, state] : clients) {
    state->retransmit_timer.cancel();
    state->end_timer.cancel();
    if (state->phase != ClientState::Phase::completed && state->done) {
      auto done = std::move(state->done);
      state->phase = ClientState::Phase::completed;
      done(ClientOutcome{503, nullptr});
    }
  }
}

}  // namespace parley::sip
