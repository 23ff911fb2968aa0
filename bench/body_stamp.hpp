#pragma once
// The benchmark message body: which client sent it, its sequence number and the sender's
// steady-clock time in nanoseconds. Fixed width and digits only, so a sender writes it in place
// into a pre-serialized stanza (no escaping can change its length) and a receiver decodes it
// without allocating: "pb SSSSSSSS QQQQQQQQQQQQ TTTTTTTTTTTTTTTTTTTT".
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace parley::bench {

struct BodyStamp {
  std::uint32_t sender = 0;  // client index (< 10^8)
  std::uint64_t seq = 0;     // per-sender sequence number (< 10^12)
  std::int64_t sent_ns = 0;  // std::chrono::steady_clock, nanoseconds since its epoch (>= 0)

  bool operator==(const BodyStamp&) const = default;
};

inline constexpr std::string_view kBodyPrefix = "pb ";
inline constexpr std::size_t kSenderDigits = 8;
inline constexpr std::size_t kSeqDigits = 12;
inline constexpr std::size_t kTimeDigits = 20;
inline constexpr std::size_t kBodySize =
    kBodyPrefix.size() + kSenderDigits + 1 + kSeqDigits + 1 + kTimeDigits;

// Writes exactly kBodySize characters to out. Values wider than their field are truncated to
// the low digits (callers keep sender and seq in range; the clock never reaches 10^20).
void encode_body(const BodyStamp& stamp, char* out);
// nullopt unless text is exactly one encoded body.
std::optional<BodyStamp> decode_body(std::string_view text);

}  // namespace parley::bench
