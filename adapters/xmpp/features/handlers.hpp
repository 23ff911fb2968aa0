#pragma once
// Factories of the IQ handlers collected by make_feature_registry() (feature_registry.hpp).
// One feature per file; each handler answers exactly once, with a result or via send_error.
#include <string>
#include <vector>

#include "adapters/xmpp/features/session_context.hpp"

namespace parley::xmpp::features {

IqHandler make_roster_handler();    // roster.cpp, RFC 6121 §2, XEP-0237 versioning
IqHandler make_register_handler();  // register.cpp, XEP-0077 (pre- and post-authentication)
IqHandler make_vcard_handler();     // vcard.cpp, XEP-0054
IqHandler make_blocking_handler();  // blocking.cpp, XEP-0191
IqHandler make_private_handler();   // private.cpp, XEP-0049
IqHandler make_ping_handler();      // ping.cpp, XEP-0199
IqHandler make_carbons_handler();   // carbons.cpp, XEP-0280
IqHandler make_version_handler();   // version.cpp, XEP-0092
IqHandler make_session_handler();   // session.cpp, RFC 3921 §3 (legacy, no-op)

// disco.cpp, XEP-0030. The feature lists are captured at creation: a session that advertises
// more (FeatureRegistry::server_features) builds a new handler from the extended lists.
IqHandler make_disco_info_handler(std::vector<std::string> server_features,
                                  std::vector<std::string> account_features);
IqHandler make_disco_items_handler();

}  // namespace parley::xmpp::features
