#pragma once
// The "sip" section of the configuration (docs/configuration.md, config/parley.jsonc): the SIP
// stack's listeners and limits (adapters/sip/sip_config.hpp) and the SIP services' registrar,
// digest, message and presence settings (adapters/sip/services/services_config.hpp).
// Without a "sip" section the SIP adapter is off; with one it is on unless "enabled": false.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/sip/services/services_config.hpp"
#include "adapters/sip/sip_config.hpp"

namespace parley::config {

struct SipSettings {
  bool enabled = false;
  sip::SipConfig stack;
  sip::SipServicesConfig services;
};

namespace detail {
class Section;
}

// Reads doc["sip"] into `out`, reporting problems through `root` (the Section of `doc`).
// `domains` are the served (prepared) domains: the SIP realms and the hosts of local AORs.
void read_sip(detail::Section& root, const nlohmann::json& doc, SipSettings& out,
              const std::vector<std::string>& domains);

}  // namespace parley::config
