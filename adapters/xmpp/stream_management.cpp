#include "adapters/xmpp/stream_management.hpp"

#include <utility>

namespace parley::xmpp {

bool StreamManagement::push(UnackedStanza stanza) {
  if (unacked_.size() >= max_unacked_) return false;
  unacked_.push_back(std::move(stanza));
  ++outbound_;
  ++since_request_;
  return true;
}

StreamManagement::AckResult StreamManagement::ack(std::uint32_t h) {
  // Unsigned subtraction handles the wrap at 2^32 (XEP-0198 §5).
  const std::uint32_t newly_acked = h - acked_;
  if (newly_acked > unacked_.size()) return AckResult::too_high;
  for (std::uint32_t i = 0; i < newly_acked; ++i) unacked_.pop_front();
  acked_ = h;
  return AckResult::ok;
}

bool StreamManagement::take_request_due() {
  if (since_request_ < kRequestEvery) return false;
  since_request_ = 0;
  return true;
}

std::deque<UnackedStanza> StreamManagement::take_unacked() {
  std::deque<UnackedStanza> out;
  out.swap(unacked_);
  acked_ = outbound_;
  return out;
}

}  // namespace parley::xmpp
