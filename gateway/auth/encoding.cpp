// base64 (RFC 4648 §4) and randomness helpers.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <climits>
#include <stdexcept>

#include "gateway/auth/scram.hpp"

namespace parley::auth {
namespace {

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  if (bytes.empty()) return {};
  // EVP_EncodeBlock takes an int length; SASL payloads are far smaller, larger input is split.
  constexpr std::size_t kChunk = 3 * 1024 * 1024;
  std::string out;
  out.reserve(4 * ((bytes.size() + 2) / 3));
  for (std::size_t pos = 0; pos < bytes.size(); pos += kChunk) {
    auto part = bytes.substr(pos, kChunk);
    std::string buf(4 * ((part.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(buf.data()),
                            reinterpret_cast<const unsigned char*>(part.data()),
                            static_cast<int>(part.size()));
    out.append(buf.data(), static_cast<std::size_t>(n));
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // Strict RFC 4648 §4: no whitespace, length a multiple of 4, padding only at the end (at
  // most two '='), and zero pad bits (§3.5) so every byte string has exactly one encoding.
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    std::array<int, 4> v{};
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      char c = text[i + k];
      bool is_pad_slot = last && k >= 4 - pad;
      if (is_pad_slot) {
        if (c != '=') return std::nullopt;
        v[k] = 0;
      } else {
        v[k] = b64_value(c);
        if (v[k] < 0) return std::nullopt;
      }
      group = (group << 6) | static_cast<std::uint32_t>(v[k]);
    }
    out += static_cast<char>((group >> 16) & 0xFF);
    if (last && pad == 2) {
      if ((group & 0xFFFF) != 0) return std::nullopt;  // non-zero pad bits
      break;
    }
    out += static_cast<char>((group >> 8) & 0xFF);
    if (last && pad == 1) {
      if ((group & 0xFF) != 0) return std::nullopt;
      break;
    }
    out += static_cast<char>(group & 0xFF);
  }
  return out;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  for (std::size_t pos = 0; pos < n;) {
    std::size_t chunk = std::min<std::size_t>(n - pos, INT_MAX);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data() + pos), static_cast<int>(chunk)) !=
        1) {
      // Without a working CSPRNG no nonce or salt is safe: this is fatal to the caller.
      throw std::runtime_error("RAND_bytes failed");
    }
    pos += chunk;
  }
  return out;
}

std::string random_id(std::size_t chars) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  // Rejection sampling: 248 = 4 * 62, so accepted bytes map uniformly onto the alphabet.
  std::string out;
  out.reserve(chars);
  while (out.size() < chars) {
    std::string pool = random_bytes(chars - out.size() + 8);
    for (char c : pool) {
      auto b = static_cast<unsigned char>(c);
      if (b >= 248) continue;
      out += kAlphabet[b % kAlphabet.size()];
      if (out.size() == chars) break;
    }
  }
  return out;
}

}  // namespace parley::auth
