#pragma once
// The SIP stack's seam (RFC 3261 §17-18): transports (UDP, TCP, TLS) and transactions with
// their timers below, the SIP services (registrar, MESSAGE, presence) above. The services see
// only this header: requests arrive as server transactions, requests go out as client
// transactions to a Flow, and the stack does retransmissions, Via/rport handling, absorption
// of retransmitted requests and the transaction timers.
//
// Threading: the stack runs on the io pool. A ServerTransaction may be answered from any
// thread (respond() posts to the transport); callbacks (on_request, send_request's done) run on
// an io thread and must not block.
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {

enum class Transport { udp, tcp, tls };
std::string_view transport_name(Transport transport);  // "UDP", "TCP", "TLS"

// Where a request came from and how to reach that client again: for UDP the source address
// (RFC 3581: answers and later requests go to the received address and rport, which works
// behind NAT); for TCP/TLS the connection itself (RFC 5626 flow: requests to a client that
// registered over a connection are sent over that connection; if it has closed, the flow is
// dead and sending fails with 430 Flow Failed).
struct Flow {
  Transport transport = Transport::udp;
  boost::asio::ip::address remote_address;
  std::uint16_t remote_port = 0;
  std::uint64_t connection_id = 0;  // 0 for UDP; unique per TCP/TLS connection
  std::string to_string() const;    // "tls:127.0.0.1:50432#7", for logs and binding keys
  friend bool operator==(const Flow&, const Flow&) = default;
};

// One incoming request. Retransmissions of it are absorbed by the stack (the last response is
// resent). Respond with 1xx any number of times, then exactly one final response; if the
// service drops the transaction without a final answer the stack answers 500.
class ServerTransaction {
 public:
  virtual ~ServerTransaction() = default;
  virtual const SipMessage& request() const = 0;
  virtual const Flow& flow() const = 0;
  // `response` is usually built with make_response(request(), ...). The stack fills in Via
  // received/rport (RFC 3581) and Content-Length.
  virtual void respond(SipMessage response) = 0;
};

// The final outcome of a client transaction: a final response, or a status the stack made up
// (408 Request Timeout after Timer F/B, 430 Flow Failed, 503 Service Unavailable for a
// transport error), with `response` null in that case.
struct ClientOutcome {
  int status = 0;
  std::shared_ptr<const SipMessage> response;
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Every request that parsed and passed the stack's checks (Max-Forwards, size, rate limit).
  // ACK for a non-2xx final is absorbed by the stack; ACK for 2xx and CANCEL arrive here too.
  virtual void on_request(std::shared_ptr<ServerTransaction> transaction) = 0;
  // A TCP/TLS connection closed: bindings and subscriptions over this flow are dead.
  virtual void on_flow_closed(const Flow& flow) = 0;
};

class SipStack {
 public:
  virtual ~SipStack() = default;
  // Sends a request (MESSAGE, NOTIFY, ...) as a client transaction over `flow`. The stack adds
  // the top Via (our address, transport, a fresh z9hG4bK branch; RFC 3261 §8.1.1.7) and
  // Content-Length, retransmits over UDP (Timer E, T1 doubling to T2), gives up with 408 after
  // 64*T1 (Timer F), and calls `done` once with the final outcome (1xx are not reported).
  virtual void send_request(SipMessage request, const Flow& flow,
                            std::function<void(ClientOutcome)> done) = 0;
  // Our own address as the peer sees it on that flow, for Contact headers ("sip:host:port;
  // transport=tcp").
  virtual SipUri local_uri(const Flow& flow) const = 0;
  // Fresh random tokens for tags, Call-IDs and branches.
  virtual std::string new_token() = 0;
};

// RFC 3261 §17.1.1.1 timer values.
struct SipTimers {
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
  std::chrono::milliseconds t4{5000};
};

}  // namespace parley::sip
