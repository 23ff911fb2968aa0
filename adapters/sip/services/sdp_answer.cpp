#include "adapters/sip/services/sdp_answer.hpp"

#include <algorithm>
#include <cstdint>

namespace parley::sip {
namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const auto end = line.find(' ');
    words.push_back(line.substr(0, end));
    if (end == std::string_view::npos) break;
    line.remove_prefix(end);
  }
  return words;
}

// One "<type>=<value>" line.
void add_line(std::string& out, char type, std::string_view value) {
  out.push_back(type);
  out.push_back('=');
  out.append(value);
  out.append("\r\n");
}

std::string join(const std::vector<std::string_view>& words) {
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  }
  return out;
}

}  // namespace

std::optional<std::vector<SdpMedia>> parse_sdp_media(std::string_view sdp) {
  bool version = false;
  std::vector<SdpMedia> media;
  while (!sdp.empty()) {
    auto end = sdp.find('\n');
    std::string_view line = sdp.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() >= 2 && line[1] == '=') {
      if (line[0] == 'v') version = true;
      if (line[0] == 'm') {
        auto words = split_words(line.substr(2));
        if (words.size() >= 3) {
          media.push_back({std::string(words[0]), std::string(words[1]), std::string(words[2]),
                           words.size() > 3 ? std::string(words[3]) : std::string()});
        }
      }
    }
    if (end == std::string_view::npos) break;
    sdp.remove_prefix(end + 1);
  }
  if (!version || media.empty()) return std::nullopt;
  return media;
}

std::optional<std::string> build_im_answer(const std::vector<SdpMedia>& offer,
                                           const SdpAnswerInput& input) {
  if (std::none_of(offer.begin(), offer.end(),
                   [](const SdpMedia& m) { return m.media == "message"; }))
    return std::nullopt;
  const std::string kind = input.address.find(':') == std::string::npos ? "IP4" : "IP6";
  const std::string port = std::to_string(input.port);
  std::string out;
  add_line(out, 'v', "0");
  add_line(out, 'o', join({"-", input.session_id, "1", "IN", kind, input.address}));
  add_line(out, 's', "-");
  add_line(out, 'c', join({"IN", kind, input.address}));
  add_line(out, 't', "0 0");
  for (const auto& m : offer) {
    const bool accept = m.media == "message";
    // RFC 3264 §6: a refused stream is answered with port 0.
    add_line(out, 'm',
             join({m.media, accept ? std::string_view(port) : "0", m.proto,
                   m.format.empty() ? std::string_view("*") : std::string_view(m.format)}));
    if (accept) add_line(out, 'a', "accept-types:text/plain text/html");
  }
  return out;
}

}  // namespace parley::sip
