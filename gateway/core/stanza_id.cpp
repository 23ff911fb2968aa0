#include "gateway/core/stanza_id.hpp"

#include <random>

namespace parley::core {
namespace {

// RFC 4648 §7 base32hex, lower case, without padding: sorts like the number for equal lengths.
void append_base32(std::string& out, std::uint64_t value, int digits) {
  static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuv";
  for (int i = digits - 1; i >= 0; --i) out.push_back(kAlphabet[(value >> (5 * i)) & 31u]);
}

}  // namespace

StanzaIdGenerator::StanzaIdGenerator() {
  std::random_device device;
  prefix_ = (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

std::string StanzaIdGenerator::next() {
  const std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
  std::string id;
  id.reserve(27);
  append_base32(id, prefix_, 13);  // 13 * 5 >= 64 bits
  id.push_back('-');
  append_base32(id, n, 13);
  return id;
}

IdGenerator make_stanza_id_generator() {
  auto generator = std::make_shared<StanzaIdGenerator>();
  return [generator] { return generator->next(); };
}

}  // namespace parley::core
