#include "config/sip_section.hpp"

#include <algorithm>

#include "config/config_checks.hpp"
#include "config/json_section.hpp"
#include "mapping/sip/availability_config.hpp"

namespace parley::config {
namespace {

using detail::Section;
constexpr std::int64_t kMaxPort = 65535;
constexpr std::int64_t kDay = 24 * 60 * 60;

void read_listener(Section& sip, std::string_view key, sip::SipListenerConfig& out) {
  Section s = sip.object(key, {"enabled", "address", "port"});
  s.boolean("enabled", out.enabled);
  s.string("address", out.address, /*allow_empty=*/false);
  s.integer("port", out.port, 0, kMaxPort);
  if (s.present("address") && !is_ip_literal(out.address))
    s.problem("address", "expected an IPv4 or IPv6 address, got \"" + out.address + "\"");
}

void seconds(Section& s, std::string_view key, std::chrono::seconds& out, std::int64_t min,
             std::int64_t max) {
  std::int64_t value = out.count();
  s.integer(key, value, min, max);
  out = std::chrono::seconds(value);
}

// min <= default <= max, each in seconds.
void read_limits(Section& parent, std::string_view key, sip::EventLimits& limits) {
  Section s = parent.object(key, {"min_expires_s", "max_expires_s", "default_expires_s"});
  seconds(s, "min_expires_s", limits.min_expires, 1, kDay);
  seconds(s, "max_expires_s", limits.max_expires, 1, 7 * kDay);
  seconds(s, "default_expires_s", limits.default_expires, 1, 7 * kDay);
  if (limits.min_expires > limits.max_expires)
    s.problem("min_expires_s", "must not exceed max_expires_s");
  if (limits.default_expires < limits.min_expires || limits.default_expires > limits.max_expires)
    s.problem("default_expires_s", "must lie between min_expires_s and max_expires_s");
}

void read_stack(Section& s, sip::SipConfig& stack) {
  read_listener(s, "udp", stack.udp);
  read_listener(s, "tcp", stack.tcp);
  read_listener(s, "tls", stack.tls);
  s.string("advertised_host", stack.advertised_host);
  s.integer("max_message_bytes", stack.max_message_bytes, 1500, 16 * 1024 * 1024);
  seconds(s, "idle_timeout_s", stack.idle_timeout, 1, kDay);
  s.integer("max_connections", stack.max_connections, 1, 1'000'000);
  s.integer("max_transactions", stack.max_transactions, 1, 10'000'000);
  seconds(s, "retry_after_s", stack.retry_after, 1, 3600);
  Section rate = s.object("rate_limit", {"requests_per_second", "burst"});
  std::int64_t per_second = static_cast<std::int64_t>(stack.requests_per_second_per_source);
  std::int64_t burst = static_cast<std::int64_t>(stack.request_burst_per_source);
  rate.integer("requests_per_second", per_second, 0, 1'000'000);  // 0: unlimited
  rate.integer("burst", burst, 1, 1'000'000);
  stack.requests_per_second_per_source = static_cast<double>(per_second);
  stack.request_burst_per_source = static_cast<double>(burst);
}

void read_auth(Section& s, sip::DigestSettings& digest) {
  Section a =
      s.object("auth", {"algorithms", "nonce_lifetime_s", "credential_cache_s", "throttle"});
  std::vector<std::string> names;
  for (auto algorithm : digest.algorithms) names.emplace_back(sip::algorithm_name(algorithm));
  a.string_list("algorithms", names);
  if (a.present("algorithms")) {
    std::vector<sip::DigestAlgorithm> algorithms;
    for (const auto& name : names) {
      auto algorithm = sip::parse_algorithm(name);
      if (!algorithm ||
          (*algorithm != sip::DigestAlgorithm::md5 && *algorithm != sip::DigestAlgorithm::sha256)) {
        a.problem("algorithms", "expected \"SHA-256\" or \"MD5\", got \"" + name + "\"");
        continue;
      }
      if (std::find(algorithms.begin(), algorithms.end(), *algorithm) == algorithms.end())
        algorithms.push_back(*algorithm);
    }
    if (names.empty()) a.problem("algorithms", "expected at least one algorithm");
    if (!algorithms.empty()) digest.algorithms = std::move(algorithms);
  }
  seconds(a, "nonce_lifetime_s", digest.nonce_lifetime, 10, kDay);
  seconds(a, "credential_cache_s", digest.credential_cache, 0, 300);
  Section t = a.object("throttle", {"failures_per_ip", "failures_per_account", "window_s"});
  t.integer("failures_per_ip", digest.failures_per_ip, 1, 1'000'000);
  t.integer("failures_per_account", digest.failures_per_account, 1, 1'000'000);
  seconds(t, "window_s", digest.failure_window, 1, kDay);
}

void read_presence(Section& s, sip::SipServicesConfig& services) {
  Section p = s.object("presence", {"policy", "organisation_scope", "subscribe", "publish",
                                    "max_subscriptions_per_account", "availability"});
  p.enumeration("policy", services.policy,
                {{"roster", sip::PresencePolicy::roster},
                 {"organisation", sip::PresencePolicy::organisation}});
  p.enumeration("organisation_scope", services.organisation_scope,
                {{"domain", sip::OrganisationScope::domain},
                 {"department", sip::OrganisationScope::department}});
  read_limits(p, "subscribe", services.subscribe);
  read_limits(p, "publish", services.publish);
  p.integer("max_subscriptions_per_account", services.max_subscriptions_per_account, 1, 100'000);
}

// The availability table is an array, read with its own parser (mapping/sip).
void read_availability(const nlohmann::json* sip_node, Section& root,
                       sip::SipServicesConfig& services) {
  if (!sip_node || !sip_node->is_object()) return;
  auto presence = sip_node->find("presence");
  if (presence == sip_node->end() || !presence->is_object()) return;
  auto rows = presence->find("availability");
  if (rows == presence->end()) return;
  auto table = mapping::sip::availability_table_from_json(*rows);
  if (!table) {
    root.problem("sip.presence.availability", table.error());
    return;
  }
  services.availability = std::move(table).value();
}

// Hosts SIP clients use for our users besides the domains: the listener addresses and the
// advertised host (sipsak and baresip often say sip:alice@127.0.0.1).
std::vector<std::string> default_aliases(const sip::SipConfig& stack) {
  std::vector<std::string> aliases;
  auto add = [&](const std::string& host) {
    if (host.empty() || host == "0.0.0.0" || host == "::") return;
    if (std::find(aliases.begin(), aliases.end(), host) == aliases.end()) aliases.push_back(host);
  };
  for (const auto* listener : {&stack.udp, &stack.tcp, &stack.tls})
    if (listener->enabled) add(listener->address);
  add(stack.advertised_host);
  return aliases;
}

}  // namespace

void read_sip(Section& root, const nlohmann::json& doc, SipSettings& out,
              const std::vector<std::string>& domains) {
  out.enabled = root.present("sip");
  Section s = root.object(
      "sip", {"enabled", "udp", "tcp", "tls", "advertised_host", "aliases", "max_message_bytes",
              "idle_timeout_s", "max_connections", "max_transactions", "retry_after_s",
              "rate_limit", "registrar", "auth", "message", "presence", "max_pending_requests"});
  s.boolean("enabled", out.enabled);
  read_stack(s, out.stack);
  sip::SipServicesConfig& services = out.services;
  {
    Section r = s.object("registrar", {"min_expires_s", "max_expires_s", "default_expires_s",
                                       "max_bindings_per_account"});
    sip::EventLimits limits{services.registrar.min_expires, services.registrar.max_expires,
                            services.registrar.default_expires};
    seconds(r, "min_expires_s", limits.min_expires, 1, kDay);
    seconds(r, "max_expires_s", limits.max_expires, 1, 7 * kDay);
    seconds(r, "default_expires_s", limits.default_expires, 1, 7 * kDay);
    if (limits.min_expires > limits.max_expires)
      r.problem("min_expires_s", "must not exceed max_expires_s");
    services.registrar.min_expires = limits.min_expires;
    services.registrar.max_expires = limits.max_expires;
    services.registrar.default_expires =
        std::clamp(limits.default_expires, limits.min_expires, limits.max_expires);
    r.integer("max_bindings_per_account", services.registrar.max_bindings_per_account, 1, 1000);
  }
  read_auth(s, services.digest);
  {
    Section m = s.object("message", {"max_body_bytes"});
    m.integer("max_body_bytes", services.max_message_body_bytes, 1, 16 * 1024 * 1024);
  }
  read_presence(s, services);
  if (doc.is_object()) {
    auto node = doc.find("sip");
    if (node != doc.end()) read_availability(&*node, root, services);
  }
  s.integer("max_pending_requests", services.max_pending_requests, 1, 10'000'000);
  services.retry_after = out.stack.retry_after;
  services.domains.local_domains = domains;
  std::vector<std::string> aliases = default_aliases(out.stack);
  std::vector<std::string> extra;
  s.string_list("aliases", extra);
  for (auto& alias : extra)
    if (std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) aliases.push_back(alias);
  services.domains.aliases = std::move(aliases);
  services.agent_name = out.stack.agent_name;
}

}  // namespace parley::config
