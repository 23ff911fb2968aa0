#pragma once
// XEP-0359 stanza ids: a random 64-bit node prefix (distinct per process, so several parleyd
// nodes never collide) followed by a per-process counter, both in RFC 4648 base32hex.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "gateway/core/clock.hpp"

namespace parley::core {

class StanzaIdGenerator {
 public:
  StanzaIdGenerator();  // random prefix from std::random_device
  explicit StanzaIdGenerator(std::uint64_t prefix) : prefix_(prefix) {}
  std::string next();  // thread-safe

 private:
  std::uint64_t prefix_;
  std::atomic<std::uint64_t> counter_{0};
};

// An IdGenerator backed by a shared StanzaIdGenerator.
IdGenerator make_stanza_id_generator();

}  // namespace parley::core
