#pragma once
// Which (sender, seq) pairs a receiver has seen: duplicates are counted apart, never twice as
// deliveries. A growable bitset per sender; a receiver hears from one sender (one2one, echo)
// or a few posters (fanout), so the lookup is a short scan starting at the last hit.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace parley::bench {

class SeenTracker {
 public:
  // True when (sender, seq) was not seen before (and marks it seen).
  bool insert(std::uint32_t sender, std::uint64_t seq) {
    std::vector<std::uint64_t>& bits = bits_for(sender);
    const std::size_t word = static_cast<std::size_t>(seq / 64);
    if (word >= bits.size()) bits.resize(std::max<std::size_t>(word + 1, bits.size() * 2), 0);
    const std::uint64_t mask = std::uint64_t{1} << (seq % 64);
    if (bits[word] & mask) return false;
    bits[word] |= mask;
    return true;
  }

 private:
  std::vector<std::uint64_t>& bits_for(std::uint32_t sender) {
    if (last_ < senders_.size() && senders_[last_].first == sender) return senders_[last_].second;
    for (std::size_t i = 0; i < senders_.size(); ++i) {
      if (senders_[i].first == sender) {
        last_ = i;
        return senders_[i].second;
      }
    }
    senders_.emplace_back(sender, std::vector<std::uint64_t>{});
    last_ = senders_.size() - 1;
    return senders_.back().second;
  }

  std::vector<std::pair<std::uint32_t, std::vector<std::uint64_t>>> senders_;
  std::size_t last_ = 0;
};

}  // namespace parley::bench
