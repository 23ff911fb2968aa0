#pragma once
// TransactionLayer: RFC 3261 §17 server and client transactions with their timers, on one
// strand. Server side: absorbs retransmitted requests by resending the last response (Timer J
// for non-INVITE, Timers G/H/I for INVITE, RFC 6026 "Accepted" with 2xx retransmission until
// the ACK), answers 500 when a service drops a transaction unanswered, and applies the overload
// bounds (per-source rate, transactions in flight -> 503 Retry-After) and the request checks
// (483, 420) before a service sees anything. Client side (non-INVITE, §17.1.2): Timer E
// retransmission over UDP, Timer F -> 408, Timer K absorbing response retransmissions.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "adapters/sip/rate_limiter.hpp"
#include "adapters/sip/sip_config.hpp"
#include "adapters/sip/sip_stack.hpp"

namespace parley::sip {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

// What the transaction layer needs from the transports (called on the strand).
class TransportSender {
 public:
  virtual ~TransportSender() = default;
  // Sends a serialized message over `flow` (UDP: to `udp_port` at the flow's address, which
  // differs from the flow's port for responses without rport). false: the flow is gone.
  virtual bool send(const Flow& flow, std::uint16_t udp_port, std::string bytes) = 0;
  // Our sent-by for a Via on that flow ("host:port").
  virtual std::string via_sent_by(const Flow& flow) const = 0;
};

class TransactionLayer : public std::enable_shared_from_this<TransactionLayer> {
 public:
  struct ServerState;
  struct ClientState;

  TransactionLayer(Strand strand, const SipConfig& config, TransportSender& transport,
                   RequestHandler& handler, std::function<std::string()> new_token);
  ~TransactionLayer();

  // All on the strand. `request` already has its top Via stamped (received/rport).
  void on_request(SipMessage request, const Flow& flow);
  void on_response(SipMessage response, const Flow& flow);
  void send_request(SipMessage request, const Flow& flow, std::function<void(ClientOutcome)> done);
  // A TCP/TLS connection closed: its client transactions end with 430, its server transactions
  // can no longer be answered.
  void on_flow_closed(const Flow& flow);
  // Ends everything: timers cancelled, pending client transactions complete with 503.
  void stop();
  // Takes a token from the source's bucket (SourceRateLimiter): false once it floods. Also used
  // by the transports before they answer an unparsable message.
  bool allow_source(const boost::asio::ip::address& source);

  std::size_t size() const { return servers_.size() + clients_.size(); }  // on the strand
  std::size_t published_size() const { return published_size_; }          // any thread

  // Called by the ServerTransaction handles (posted onto the strand).
  void respond(const std::shared_ptr<ServerState>& state, SipMessage response);
  void dropped(const std::shared_ptr<ServerState>& state);

 private:
  bool reliable(const Flow& flow) const { return flow.transport != Transport::udp; }
  void reject_stateless(const SipMessage& request, const Flow& flow, int status,
                        std::string_view reason, bool retry_after);
  void send_response_bytes(const ServerState& state, const std::string& bytes);
  void arm_server_retransmit(const std::shared_ptr<ServerState>& state);
  void arm_server_end(const std::shared_ptr<ServerState>& state, std::chrono::milliseconds after);
  void erase_server(const std::shared_ptr<ServerState>& state);
  void client_retransmit(const std::shared_ptr<ClientState>& state);
  void finish_client(const std::shared_ptr<ClientState>& state, ClientOutcome outcome);
  void erase_client(const std::shared_ptr<ClientState>& state);
  // Overload: too many transactions in flight, or (a memory bound) too many records at all.
  bool overloaded() const {
    return active_ >= config_.max_transactions || size() >= 4 * config_.max_transactions;
  }
  template <class State>
  void activate(State& state) {
    state.active = true;
    ++active_;
    published_size_ = active_;
  }
  template <class State>
  void deactivate(State& state) {
    if (!state.active) return;
    state.active = false;
    --active_;
    published_size_ = active_;
  }

  Strand strand_;
  const SipConfig& config_;
  TransportSender& transport_;
  RequestHandler& handler_;
  std::function<std::string()> new_token_;
  SourceRateLimiter limiter_;
  bool stopped_ = false;
  std::unordered_map<std::string, std::shared_ptr<ServerState>> servers_;
  // RFC 6026 §8.7: 2xx answers to INVITE over UDP wait for their ACK, found by Call-ID + CSeq.
  std::unordered_map<std::string, std::weak_ptr<ServerState>> awaiting_ack_;
  std::unordered_map<std::string, std::shared_ptr<ClientState>> clients_;
  std::size_t active_ = 0;
  std::atomic<std::size_t> published_size_{0};
};

}  // namespace parley::sip
