#pragma once
// StreamManagement: the XEP-0198 (urn:xmpp:sm:3) counters and the queue of stanzas the client
// has not acknowledged yet. Pure state, moved as a whole to the new connection on resumption.
// Counters are 32-bit and wrap at 2^32 (XEP-0198 §5: "h" is an unsigned 32-bit integer).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "mapping/model/message.hpp"

namespace parley::xmpp {

struct UnackedStanza {
  std::string data;  // the serialized stanza, retransmitted as is after <resumed/>
  // For a delivered <message/> with a body: the model message, re-routed into the core when a
  // detached session expires so the message is stored instead of lost (XEP-0198 §4 note).
  std::shared_ptr<const model::Message> message;
};

class StreamManagement {
 public:
  // A client requests an ack after every kRequestEvery unacked stanzas we send.
  static constexpr std::uint32_t kRequestEvery = 5;

  explicit StreamManagement(std::size_t max_unacked = 10000) : max_unacked_(max_unacked) {}
  // For tests of the 2^32 wrap: both counters start at `start` instead of 0.
  StreamManagement(std::size_t max_unacked, std::uint32_t start)
      : max_unacked_(max_unacked), inbound_(start), outbound_(start), acked_(start) {}

  // ---- inbound: stanzas the client sent that we handled ----
  void count_inbound() { ++inbound_; }
  std::uint32_t inbound() const { return inbound_; }

  // ---- outbound ----
  // Records a stanza sent to the client; false when the queue is full (the client does not
  // ack: XEP-0198 §... the server may close the stream).
  bool push(UnackedStanza stanza);
  enum class AckResult { ok, too_high };
  // Drops the stanzas the client's h acknowledges. too_high: h acknowledges stanzas never
  // sent (XEP-0198 §4: the server returns <undefined-condition/> and closes).
  AckResult ack(std::uint32_t h);
  // True when it is time to send <r/> (every kRequestEvery unacked stanzas); resets.
  bool take_request_due();
  // True when anything is unacknowledged and no request is outstanding since the last push.
  bool has_unacked() const { return !unacked_.empty(); }

  std::uint32_t outbound() const { return outbound_; }  // stanzas sent so far (mod 2^32)
  std::uint32_t acked() const { return acked_; }        // last h from the client
  const std::deque<UnackedStanza>& unacked() const { return unacked_; }
  std::deque<UnackedStanza> take_unacked();
  std::size_t max_unacked() const { return max_unacked_; }

 private:
  std::size_t max_unacked_;
  std::uint32_t inbound_ = 0;
  std::uint32_t outbound_ = 0;
  std::uint32_t acked_ = 0;
  std::uint32_t since_request_ = 0;
  std::deque<UnackedStanza> unacked_;
};

}  // namespace parley::xmpp
