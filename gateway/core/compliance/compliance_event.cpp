// The compliance event kinds' wire names and event ids (contract: gateway/api/compliance.hpp).
#include <openssl/rand.h>

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "gateway/api/compliance.hpp"

namespace parley::api {
namespace {

// Indexed by the enum value. These names are part of the export formats (docs/compliance.md):
// never rename one.
constexpr std::array<std::string_view, kComplianceEventKinds> kKindNames{
    "room.join",   "room.leave",    "room.post",   "room.read",       "room.topic",
    "room.invite", "room.create",   "room.modify", "room.delete",     "room.role",
    "file.upload", "file.download", "im.message",  "im.subscription",
};
static_assert(static_cast<std::size_t>(ComplianceEventKind::subscription) + 1 ==
              kComplianceEventKinds);

}  // namespace

std::string_view kind_name(ComplianceEventKind kind) {
  const auto index = static_cast<std::size_t>(kind);
  return index < kKindNames.size() ? kKindNames[index] : std::string_view("unknown");
}

std::optional<ComplianceEventKind> kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<ComplianceEventKind>(i);
  }
  return std::nullopt;
}

std::string new_compliance_id() {
  // 128 random bits: collisions are negligible across nodes and restarts, so the id can serve
  // as the exporters' idempotency key without coordination. The bits come from RAND_bytes in
  // blocks of 256 ids per thread: one call per id (with im.message, one per 1:1 message) was
  // 7 % of the daemon in the benchmark, most of it the DRBG's lock and setup.
  constexpr std::size_t kIdBytes = 16;
  struct Pool {
    std::array<unsigned char, kIdBytes * 256> bytes{};
    std::size_t used = sizeof(bytes);  // empty: filled on first use
  };
  thread_local Pool pool;
  if (pool.used == pool.bytes.size()) {
    if (RAND_bytes(pool.bytes.data(), static_cast<int>(pool.bytes.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed: no entropy for a compliance event id");
    }
    pool.used = 0;
  }
  const unsigned char* bytes = pool.bytes.data() + pool.used;
  pool.used += kIdBytes;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(kIdBytes * 2);
  for (std::size_t i = 0; i < kIdBytes; ++i) {
    id.push_back(kHex[bytes[i] >> 4]);
    id.push_back(kHex[bytes[i] & 0x0f]);
  }
  return id;
}

}  // namespace parley::api
