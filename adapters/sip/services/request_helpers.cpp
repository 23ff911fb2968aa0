#include "adapters/sip/services/request_helpers.hpp"

#include <array>
#include <charconv>

#include "mapping/sip/address.hpp"

namespace parley::sip {

std::optional<model::Address> local_account(const SipUri& uri, const SipServicesConfig& config) {
  if (!mapping::sip::is_local_host(uri.host, config.domains)) return std::nullopt;
  auto address = mapping::sip::address_from_sip_uri(uri, config.domains);
  if (!address || address->local().empty()) return std::nullopt;
  return address->bare();
}

std::optional<std::uint32_t> parse_seconds(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  // RFC 3261 §20.19: values above 2**32-1 are taken as 2**32-1.
  if (ec == std::errc::result_out_of_range || value > 0xffffffffULL) return 0xffffffffU;
  if (ec != std::errc()) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

ExpiryChoice choose_expiry(std::optional<std::uint32_t> requested, const EventLimits& limits) {
  ExpiryChoice choice;
  const auto wanted = requested ? std::chrono::seconds(*requested) : limits.default_expires;
  if (wanted.count() == 0) return choice;
  if (wanted < limits.min_expires) {
    choice.too_brief = true;
    return choice;
  }
  choice.value = std::min(wanted, limits.max_expires);
  return choice;
}

std::string_view allowed_methods() {
  return "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, MESSAGE, SUBSCRIBE, NOTIFY, PUBLISH";
}

bool is_known_method(std::string_view method) {
  static constexpr std::array<std::string_view, 14> kKnown{
      "INVITE",    "ACK",    "CANCEL",  "BYE",   "OPTIONS", "REGISTER", "MESSAGE",
      "SUBSCRIBE", "NOTIFY", "PUBLISH", "REFER", "INFO",    "UPDATE",   "PRACK"};
  for (auto known : kKnown)
    if (known == method) return true;
  return false;
}

std::optional<EventHeader> parse_event(const SipMessage& request) {
  auto value = request.header("Event");
  if (!value) return std::nullopt;
  std::string_view text = *value;
  EventHeader event;
  const auto semi = text.find(';');
  std::string_view package = text.substr(0, semi);
  while (!package.empty() && package.back() == ' ') package.remove_suffix(1);
  while (!package.empty() && package.front() == ' ') package.remove_prefix(1);
  for (char c : package)
    event.package.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (semi != std::string_view::npos) {
    std::string_view params = text.substr(semi + 1);
    while (!params.empty()) {
      const auto next = params.find(';');
      std::string_view param = params.substr(0, next);
      while (!param.empty() && param.front() == ' ') param.remove_prefix(1);
      if (param.size() > 3 && iequals(param.substr(0, 3), "id="))
        event.id = std::string(param.substr(3));
      if (next == std::string_view::npos) break;
      params.remove_prefix(next + 1);
    }
  }
  if (event.package.empty()) return std::nullopt;
  return event;
}

std::string tag_of(const NameAddr& address) {
  return find_param(address.params, "tag").value_or("");
}

NameAddr without_params(NameAddr address) {
  address.params.clear();
  return address;
}

}  // namespace parley::sip
