#pragma once
// Internal to adapters/sip: the per-transaction records of TransactionLayer and the handle the
// services receive. Only the strand touches the mutable parts; `request` and `flow` of a server
// record never change after creation, so handles read them from any thread.
#include <boost/asio/steady_timer.hpp>

#include "adapters/sip/transaction_layer.hpp"

namespace parley::sip {

struct TransactionLayer::ServerState {
  explicit ServerState(const Strand& strand) : retransmit_timer(strand), end_timer(strand) {}
  enum class Phase { trying, proceeding, completed, accepted, confirmed, terminated };
  std::string key;      // RFC 3261 §17.2.3; empty for an ACK handed to the services
  std::string ack_key;  // Call-ID + CSeq number, for the ACK of a 2xx
  SipMessage request;
  Flow flow;
  std::uint16_t udp_port = 0;  // where unreliable responses go (RFC 3581 / §18.2.2)
  bool invite = false;
  bool ack = false;  // an ACK: nothing to answer
  Phase phase = Phase::trying;
  bool final_sent = false;
  bool active = false;        // counted as in flight (until the final answer)
  std::string last_response;  // serialized, resent for retransmitted requests
  std::chrono::milliseconds interval{0};
  boost::asio::steady_timer retransmit_timer;  // Timer G / 2xx retransmission
  boost::asio::steady_timer end_timer;         // Timer J / H / I / L
};

struct TransactionLayer::ClientState {
  explicit ClientState(const Strand& strand) : retransmit_timer(strand), end_timer(strand) {}
  enum class Phase { trying, proceeding, completed };
  std::string key;  // branch + method
  Flow flow;
  std::string bytes;
  std::function<void(ClientOutcome)> done;
  Phase phase = Phase::trying;
  bool active = false;  // counted as in flight (until the final answer)
  std::chrono::milliseconds interval{0};
  boost::asio::steady_timer retransmit_timer;  // Timer E
  boost::asio::steady_timer end_timer;         // Timer F, then Timer K
};

}  // namespace parley::sip
