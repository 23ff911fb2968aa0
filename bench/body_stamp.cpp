#include "bench/body_stamp.hpp"

#include <cstring>

namespace parley::bench {
namespace {

void write_digits(std::uint64_t value, std::size_t width, char* out) {
  for (std::size_t i = width; i > 0; --i) {
    out[i - 1] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

std::optional<std::uint64_t> read_digits(std::string_view text) {
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;  // 20 digits can overflow
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

void encode_body(const BodyStamp& stamp, char* out) {
  std::memcpy(out, kBodyPrefix.data(), kBodyPrefix.size());
  out += kBodyPrefix.size();
  write_digits(stamp.sender, kSenderDigits, out);
  out += kSenderDigits;
  *out++ = ' ';
  write_digits(stamp.seq, kSeqDigits, out);
  out += kSeqDigits;
  *out++ = ' ';
  write_digits(static_cast<std::uint64_t>(stamp.sent_ns < 0 ? 0 : stamp.sent_ns), kTimeDigits, out);
}

std::optional<BodyStamp> decode_body(std::string_view text) {
  if (text.size() != kBodySize || text.substr(0, kBodyPrefix.size()) != kBodyPrefix) {
    return std::nullopt;
  }
  text.remove_prefix(kBodyPrefix.size());
  const auto sender = read_digits(text.substr(0, kSenderDigits));
  const std::size_t seq_at = kSenderDigits + 1;
  const std::size_t time_at = seq_at + kSeqDigits + 1;
  if (text[kSenderDigits] != ' ' || text[time_at - 1] != ' ') return std::nullopt;
  const auto seq = read_digits(text.substr(seq_at, kSeqDigits));
  const auto sent = read_digits(text.substr(time_at, kTimeDigits));
  // 20 digits can exceed int64: such a time was not written by encode_body.
  if (!sender || !seq || !sent || *sent > static_cast<std::uint64_t>(INT64_MAX)) {
    return std::nullopt;
  }
  return BodyStamp{.sender = static_cast<std::uint32_t>(*sender),
                   .seq = *seq,
                   .sent_ns = static_cast<std::int64_t>(*sent)};
}

}  // namespace parley::bench
