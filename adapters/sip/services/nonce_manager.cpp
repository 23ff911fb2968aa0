#include "adapters/sip/services/nonce_manager.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "adapters/sip/services/bounded_table.hpp"

namespace parley::sip {
namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0f]);
  }
  return out;
}

std::optional<std::uint64_t> parse_hex(std::string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

NonceManager::NonceManager(std::string secret, std::chrono::seconds lifetime,
                           std::size_t max_tracked, TimePoint epoch)
    : secret_(std::move(secret)),
      lifetime_(lifetime),
      max_tracked_(max_tracked),
      epoch_(epoch),
      floor_(epoch - std::chrono::seconds(1)) {}

std::string NonceManager::mac(std::string_view issued, std::string_view random,
                              std::string_view realm) const {
  std::string data;
  data.append(issued).append(".").append(random).append(".").append(realm);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size);
  return to_hex(out.data(), std::min<std::size_t>(size, 16));
}

std::string NonceManager::issue(std::string_view realm, TimePoint now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - epoch_).count();
  char buffer[17];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer - 1,
                    static_cast<std::uint64_t>(std::max<std::int64_t>(seconds, 0)), 16);
  (void)ec;
  const std::string issued(buffer, end);
  std::array<unsigned char, 8> random_bytes{};
  RAND_bytes(random_bytes.data(), static_cast<int>(random_bytes.size()));
  const std::string random = to_hex(random_bytes.data(), random_bytes.size());
  return issued + "." + random + "." + mac(issued, random, realm);
}

NonceManager::Check NonceManager::check(std::string_view nonce, std::string_view realm,
                                        TimePoint now) const {
  const auto first = nonce.find('.');
  if (first == std::string_view::npos) return Check::invalid;
  const auto second = nonce.find('.', first + 1);
  if (second == std::string_view::npos) return Check::invalid;
  const std::string_view issued = nonce.substr(0, first);
  const std::string_view random = nonce.substr(first + 1, second - first - 1);
  const std::string_view tag = nonce.substr(second + 1);
  const std::string expected = mac(issued, random, realm);
  if (tag.size() != expected.size() || CRYPTO_memcmp(tag.data(), expected.data(), tag.size()) != 0)
    return Check::invalid;
  auto seconds = parse_hex(issued);
  if (!seconds) return Check::invalid;
  const TimePoint issued_at = epoch_ + std::chrono::seconds(*seconds);
  if (issued_at > now + std::chrono::seconds(1)) return Check::invalid;  // from the future
  return now - issued_at >= lifetime_ ? Check::stale : Check::valid;
}

void NonceManager::make_room(TimePoint now) {
  auto evicted = make_room_in(
      used_, max_tracked_, [&](const Use& use) { return now - use.issued >= lifetime_; },
      [](const Use& use) { return use.issued; });
  // Forgetting a nonce's count would allow its replay, so everything issued up to the evicted
  // one is refused from now on (stale=true: the client retries with a fresh nonce).
  if (evicted) floor_ = std::max(floor_, *evicted);
}

bool NonceManager::use(std::string_view nonce, std::string_view nc, TimePoint now) {
  std::uint64_t count = 1;
  if (!nc.empty()) {
    auto parsed = parse_hex(nc);
    if (!parsed || *parsed == 0) return false;
    count = *parsed;
  }
  auto it = used_.find(nonce);
  if (it == used_.end()) {
    auto seconds = parse_hex(nonce.substr(0, nonce.find('.')));
    if (!seconds) return false;
    const TimePoint issued = epoch_ + std::chrono::seconds(*seconds);
    if (issued <= floor_) return false;
    if (used_.size() >= max_tracked_) make_room(now);
    used_.emplace(std::string(nonce), Use{count, issued});
    return true;
  }
  if (nc.empty() || count <= it->second.last_nc) return false;
  it->second.last_nc = count;
  return true;
}

}  // namespace parley::sip
