// Stack checks and Via handling (RFC 3261 §8.2.2, §16.3, §17.2.3, §18.2; RFC 3581).
#include "adapters/sip/request_checks.hpp"

#include <algorithm>
#include <charconv>

namespace parley::sip {
namespace {

constexpr std::string_view kMagicCookie = "z9hG4bK";  // RFC 3261 §8.1.1.7

std::vector<std::string> option_tags(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      auto comma = value.find(',', start);
      std::string_view tag = std::string_view(value).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
      while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
      if (!tag.empty()) out.emplace_back(tag);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

std::string sent_by(const Via& via) {
  return via.host + ":" + std::to_string(via.port == 0 ? 5060 : via.port);
}

std::string host_without_brackets(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

std::optional<Rejection> check_request(const SipMessage& request,
                                       const std::vector<std::string>& supported) {
  if (auto max_forwards = request.header("Max-Forwards")) {
    unsigned value = 0;
    auto [ptr, ec] =
        std::from_chars(max_forwards->data(), max_forwards->data() + max_forwards->size(), value);
    if (max_forwards->empty() || ec != std::errc() ||
        ptr != max_forwards->data() + max_forwards->size() || value > 255) {
      return Rejection{400, "Malformed Max-Forwards", {}};
    }
    if (value == 0) return Rejection{483, "Too Many Hops", {}};
  }
  if (request.method == "CANCEL" || request.method == "ACK") return std::nullopt;
  std::vector<std::string> unsupported;
  for (const auto& tag : option_tags(request.header_values("Require"))) {
    const bool known = std::any_of(supported.begin(), supported.end(),
                                   [&](const std::string& s) { return iequals(s, tag); });
    if (!known) unsupported.push_back(tag);
  }
  if (unsupported.empty()) return std::nullopt;
  Rejection rejection{420, "Bad Extension", {}};
  for (auto& tag : unsupported) rejection.headers.emplace_back("Unsupported", std::move(tag));
  return rejection;
}

void stamp_top_via(SipMessage& request, const boost::asio::ip::address& source,
                   std::uint16_t source_port) {
  auto it = std::find_if(request.headers.begin(), request.headers.end(),
                         [](const auto& h) { return iequals(h.first, "Via"); });
  if (it == request.headers.end()) return;
  auto via = Via::parse(it->second);
  if (!via) return;
  const std::string source_text = source.to_string();
  bool changed = false;
  auto set_param = [&](std::string_view name, std::string value) {
    for (auto& [key, existing] : via->params) {
      if (iequals(key, name)) {
        existing = std::move(value);
        return;
      }
    }
    via->params.emplace_back(std::string(name), std::move(value));
  };
  boost::system::error_code ec;
  auto via_address = boost::asio::ip::make_address(host_without_brackets(via->host), ec);
  const bool rport = find_param(via->params, "rport").has_value();
  if (ec || via_address != source || rport) {
    set_param("received", source_text);
    changed = true;
  }
  if (rport) {
    set_param("rport", std::to_string(source_port));
    changed = true;
  }
  if (changed) it->second = via->to_string();
}

std::uint16_t response_port(const SipMessage& request, std::uint16_t source_port) {
  auto vias = request.vias();
  if (vias.empty()) return source_port;
  if (auto rport = find_param(vias.front().params, "rport")) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(rport->data(), rport->data() + rport->size(), value);
    if (!rport->empty() && ec == std::errc() && ptr == rport->data() + rport->size() && value > 0 &&
        value <= 65535) {
      return static_cast<std::uint16_t>(value);
    }
    return source_port;
  }
  return vias.front().port != 0 ? vias.front().port : 5060;
}

std::string make_branch(std::string_view token) {
  return std::string(kMagicCookie) + std::string(token);
}

std::string server_transaction_key(const SipMessage& request, std::string_view method) {
  auto vias = request.vias();
  const std::string match_method = method == "ACK" ? std::string("INVITE") : std::string(method);
  if (vias.empty()) return {};
  const std::string branch = vias.front().branch();
  if (branch.starts_with(kMagicCookie)) {
    return branch + "|" + sent_by(vias.front()) + "|" + match_method;
  }
  // RFC 3261 §17.2.3 (RFC 2543 compatibility): Request-URI, To tag, From tag, Call-ID, CSeq
  // number and top Via identify the transaction.
  std::string to_tag, from_tag;
  if (auto to = request.to()) to_tag = find_param(to->params, "tag").value_or("");
  if (auto from = request.from()) from_tag = find_param(from->params, "tag").value_or("");
  auto cseq = request.cseq();
  return "2543|" + request.request_uri.to_string() + "|" + (method == "ACK" ? "" : to_tag) + "|" +
         from_tag + "|" + request.call_id().value_or("") + "|" +
         std::to_string(cseq ? cseq->number : 0) + "|" + vias.front().to_string() + "|" +
         match_method;
}

}  // namespace parley::sip
